"""From a poll result to guardrails, with the answers kept as their origin."""

from __future__ import annotations

from guardrails import domain
from guardrails.models import Guardrail, Kind, Metric
from workshops.models import PollQuestion, QuestionKind
from workshops.queries import Result, question_result


def _summary_text(result: Result) -> str:
    if result.words:
        return ", ".join(f"{word.text} ({word.count})" for word in result.words[:10])
    return "; ".join(f"{label}: {value:g}" for label, value, _width in result.bars)


def _name(question: PollQuestion, proposal: domain.Proposal, labels: dict[str, str]) -> str:
    """Named after what it measures ("Study load (hours per week)"); a qualitative one after the question."""
    if proposal.metric == "qualitative":
        return question.prompt[:200]
    name = str(Metric(proposal.metric).label)
    if proposal.key:
        name = f"{name}: {labels.get(proposal.key, proposal.key)}"
    return name[:200]


def adopt_result(question: PollQuestion, result: Result | None = None) -> list[Guardrail]:
    """Create the guardrails the question's result suggests (see domain.proposals_from_result).

    Side effects: inserts Guardrail rows. Raises ValueError when nobody answered.
    """
    result = result or question_result(question)
    if not result.count:
        raise ValueError("nobody answered")
    pairs = question.option_pairs()
    split = []
    if question.kind == QuestionKind.SPLIT:
        split = [(key, value) for (key, _label), (_l, value, _w) in zip(pairs, result.bars, strict=True)]
    numbers = [float(v) for v in result.values if isinstance(v, int | float)]
    proposals = domain.proposals_from_result(question.topic, question.kind, values=numbers, split=split)
    session = question.session
    origin = {
        "session": session.title,
        "question": question.prompt,
        "kind": question.kind,
        "answers": result.values,
        "count": result.count,
    }
    labels = dict(pairs)
    created = []
    for proposal in proposals:
        name = _name(question, proposal, labels)
        created.append(
            Guardrail.objects.create(
                programme=session.programme,
                name=name[:200],
                kind=Kind.SOFT if proposal.kind == "soft" else Kind.HARD,
                metric=proposal.metric,
                key=proposal.key,
                comparator=proposal.comparator,
                target=proposal.target,
                target_high=proposal.target_high,
                tolerance=proposal.tolerance,
                description=_summary_text(result) if proposal.metric == "qualitative" else "",
                origin_question=question,
                origin=origin,
            )
        )
    return created
