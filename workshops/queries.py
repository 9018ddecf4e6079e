"""Poll results from the database: one query per question, and a cheap change stamp."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max

from workshops import domain
from workshops.models import DesignSession, PollAnswer, PollQuestion

HISTOGRAM_WIDTH = 600
HISTOGRAM_HEIGHT = 160


@dataclass
class Result:
    """What a template needs to show one question's result."""

    question: PollQuestion
    count: int
    number: domain.NumberResult | None = None
    bars: list[tuple[str, float, float]] = field(default_factory=list)  # label, value, width 0..100
    words: tuple[domain.Word, ...] = ()
    histogram: list[dict] = field(default_factory=list)
    values: list = field(default_factory=list)

    @property
    def adoptable(self) -> bool:
        return self.count > 0


def _histogram(number: domain.NumberResult) -> list[dict]:
    """Vertical bars in a 600 × 160 SVG: x, width, height and label per bucket."""
    buckets = number.histogram
    if not buckets:
        return []
    top = max(count for _value, count in buckets) or 1
    width = HISTOGRAM_WIDTH / len(buckets)
    bars = []
    for index, (value, count) in enumerate(buckets):
        height = round(count / top * (HISTOGRAM_HEIGHT - 30), 1)
        bars.append(
            {
                "x": round(index * width + width * 0.1, 1),
                "width": round(width * 0.8, 1),
                "y": round(HISTOGRAM_HEIGHT - 20 - height, 1),
                "height": height,
                "label_x": round(index * width + width / 2, 1),
                "value": value,
                "count": count,
            }
        )
    return bars


def question_result(question: PollQuestion) -> Result:
    values = list(PollAnswer.objects.filter(question=question).values_list("value", flat=True))
    result = Result(question=question, count=len(values), values=values)
    pairs = question.option_pairs()
    labels = dict(pairs)
    keys = [key for key, _label in pairs]
    if question.kind == "number":
        params = question.answer_params()
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        result.number = domain.number_result(numbers, params["minimum"], params["maximum"], params["step"])
        result.histogram = _histogram(result.number)
    elif question.kind in ("single", "multiple"):
        for option in domain.choice_result(values, keys):
            result.bars.append((labels[option.option], option.count, option.share * 100))
    elif question.kind == "words":
        result.words = domain.word_cloud([v if isinstance(v, list) else [v] for v in values])
    elif question.kind == "split":
        for key, average in domain.split_result([v for v in values if isinstance(v, dict)], keys):
            result.bars.append((labels[key], average, average))
    elif question.kind == "ranking":
        ranking = domain.borda_result([v for v in values if isinstance(v, list)], keys)
        top = max((points for _key, points in ranking), default=0) or 1
        for key, points in ranking:
            result.bars.append((labels[key], points, points / top * 100))
    return result


def live_stamp(session: DesignSession) -> str:
    """An ETag for what the projector shows: changes with the current question, its state,
    its visibility and every answer (count and last change). One aggregate query."""
    question = session.current_question
    parts = [str(session.pk), str(session.joinable), str(session.current_question_id)]
    if question is not None:
        answers = PollAnswer.objects.filter(question=question).aggregate(n=Count("pk"), last=Max("updated_at"))
        parts += [
            question.state,
            str(question.results_visible),
            str(question.updated_at),
            str(answers["n"]),
            str(answers["last"]),
        ]
    parts.append(str(session.participants.count()))
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def phone_stamp(session: DesignSession) -> str:
    """An ETag for a phone's question panel: only the current question and its state."""
    question = session.current_question
    state = question.state if question else "-"
    updated = str(question.updated_at) if question else "-"
    return hashlib.sha1(
        f"{session.pk}|{session.joinable}|{session.current_question_id}|{state}|{updated}".encode(),
        usedforsecurity=False,
    ).hexdigest()[:16]
