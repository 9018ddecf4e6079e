"""The live poll of the kickoff workshop: answer validation and result computations.

Pure functions over plain data (no ORM, no request, no side effects). A view cleans a
participant's raw answer with `clean_answer` before storing it, and turns the stored
answers of one question into a result with `number_result`, `choice_result`,
`word_cloud`, `split_result` or `borda_result`. Every result is a frozen value that a
template or an SVG chart can render, and that can be adopted as a guardrail.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

QUESTION_KINDS = ("number", "single", "multiple", "words", "split", "ranking")

ANSWER_ERROR_CODES = (
    "empty",
    "wrong_type",
    "not_a_number",
    "out_of_range",
    "off_step",
    "unknown_option",
    "duplicate_option",
    "too_many_words",
    "too_long",
    "split_sum",
    "duplicate_rank",
    "missing_rank",
)

MAX_BUCKETS = 50
SPLIT_TOTAL = 100
TOLERANCE = 1e-9

# A plain decimal number; the comma is the Dutch decimal separator ("3,5").
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_WORD_SEPARATORS = re.compile(r"[,\r\n]+")


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberResult:
    """Summary of the answers to a number/scale question."""

    count: int
    mean: float | None
    median: float | None
    histogram: tuple[tuple[float, int], ...]


def _half_up(value: float) -> int:
    # round() rounds halves to even, which would snap 2.5 to 2 but 3.5 to 4.
    return math.floor(value + 0.5)


def _clean_float(value: float) -> float:
    """Drop binary noise such as 0.30000000000000004 from a computed bucket label."""
    return float(round(value, 10))


def number_result(values: Sequence[float], minimum: float, maximum: float, step: float) -> NumberResult:
    """Count, mean, median and histogram of the answers to a number question.

    The mean and median are rounded to 2 decimals, and are None without answers. The
    histogram has one `(value, count)` bucket per step value from `minimum` up to
    `maximum`; an answer counts in the bucket of the nearest step value. When that would
    give more than 50 buckets, it has 50 equal-width buckets labelled by their lower
    bound instead. Answers outside [minimum, maximum] count in the first or last bucket,
    so the bucket counts always add up to `count`.
    """
    if step <= 0:
        raise ValueError("step must be positive")
    if maximum < minimum:
        raise ValueError("maximum must not be below minimum")

    span = maximum - minimum
    if span / step > MAX_BUCKETS:
        width = span / MAX_BUCKETS
        labels = [_clean_float(minimum + index * width) for index in range(MAX_BUCKETS)]

        def bucket_of(value: float) -> int:
            return int((value - minimum) / width)

    else:
        last_step = math.floor(span / step + TOLERANCE)
        labels = [_clean_float(minimum + index * step) for index in range(last_step + 1)]

        def bucket_of(value: float) -> int:
            return _half_up((value - minimum) / step)

    counts = [0] * len(labels)
    for value in values:
        counts[min(max(bucket_of(value), 0), len(labels) - 1)] += 1

    if values:
        mean = round(statistics.fmean(values), 2)
        median = round(float(statistics.median(values)), 2)
    else:
        mean = median = None
    return NumberResult(count=len(values), mean=mean, median=median, histogram=tuple(zip(labels, counts, strict=True)))


@dataclass(frozen=True)
class OptionCount:
    """How many respondents chose an option, and which share of all respondents that is."""

    option: str
    count: int
    share: float


def choice_result(answers: Sequence[str | Sequence[str]], options: Sequence[str]) -> tuple[OptionCount, ...]:
    """Count per option of single- or multiple-choice answers, in the order of `options`.

    A single-choice answer is one option (a string), a multiple-choice answer a list of
    options, counted once per respondent. Each share is the count divided by the number of
    respondents (0..1, rounded to 4 decimals), so multiple-choice shares may add up to more
    than 1; without answers every share is 0.0. Options not in `options` are ignored.
    """
    counts: Counter[str] = Counter()
    for answer in answers:
        chosen = {answer} if isinstance(answer, str) else set(answer)
        counts.update(chosen)
    respondents = len(answers)
    return tuple(
        OptionCount(
            option=option,
            count=counts[option],
            share=round(counts[option] / respondents, 4) if respondents else 0.0,
        )
        for option in options
    )


@dataclass(frozen=True)
class Word:
    """One word of a word cloud: its usual spelling, how many answers gave it, and a size 1..5."""

    text: str
    count: int
    weight: int


def _normalise_word(text: str) -> str:
    return " ".join(text.split())


def word_cloud(answers: Sequence[Sequence[str]], limit: int = 40) -> tuple[Word, ...]:
    """The most frequent words of the answers to an open-words question.

    Words are stripped and their inner whitespace collapsed; they are counted
    case-insensitively (casefold) and shown in their most common spelling (ties: the
    alphabetically first). Empty strings are ignored, and a word given twice in one answer
    counts once. Most frequent first, ties alphabetical, at most `limit` words. The weight
    scales the count linearly from 1 (least frequent shown) to 5 (most frequent); when all
    shown words are equally frequent they all weigh 3.
    """
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for answer in answers:
        words = [answer] if isinstance(answer, str) else answer
        seen: set[str] = set()
        for raw in words:
            text = _normalise_word(raw)
            key = text.casefold()
            if not key or key in seen:
                continue
            seen.add(key)
            counts[key] += 1
            spellings.setdefault(key, Counter())[text] += 1

    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: max(limit, 0)]
    if not ranked:
        return ()
    most, least = ranked[0][1], ranked[-1][1]

    def weight(count: int) -> int:
        if most == least:
            return 3
        return 1 + _half_up(4 * (count - least) / (most - least))

    return tuple(
        Word(
            text=min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0],
            count=count,
            weight=weight(count),
        )
        for key, count in ranked
    )


def split_result(answers: Sequence[Mapping[str, int]], options: Sequence[str]) -> tuple[tuple[str, float], ...]:
    """Average points per option of 100-point-split answers, in the order of `options`.

    The average is over all respondents (an option a respondent left out counts as 0),
    rounded to 1 decimal; without answers every option gets 0.0. Keys that are not in
    `options` are ignored.
    """
    respondents = len(answers)
    return tuple(
        (
            option,
            round(sum(answer.get(option, 0) for answer in answers) / respondents, 1) if respondents else 0.0,
        )
        for option in options
    )


def borda_result(rankings: Sequence[Sequence[str]], options: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """Borda count of ranking answers: `(option, points)`, most points first.

    With n options the first place of a ranking earns n-1 points, the next n-2 and the last
    0; an option missing from a ranking earns nothing from it. Unknown options and repeats
    within one ranking are skipped before places are counted. Ties keep the order of
    `options`.
    """
    known = set(options)
    points = dict.fromkeys(options, 0)
    for ranking in rankings:
        ranked = [option for option in dict.fromkeys(ranking) if option in known]
        for place, option in enumerate(ranked):
            points[option] += len(options) - 1 - place
    return tuple(sorted(points.items(), key=lambda item: -item[1]))


# --- validation ------------------------------------------------------------------------


class AnswerError(ValueError):
    """A participant's answer that cannot be stored.

    `code` is one of ANSWER_ERROR_CODES, for a form or an htmx partial to react on;
    `message` says in English what to do instead.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _list_of_options(options: Sequence[str]) -> str:
    return ", ".join(options)


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _clean_number(raw: object, minimum: float | None, maximum: float | None, step: float | None) -> float:
    if _is_blank(raw):
        raise AnswerError("empty", "Enter a number.")
    if isinstance(raw, str):
        text = raw.strip()
        if not _NUMBER.fullmatch(text):
            raise AnswerError("not_a_number", "Enter a number, such as 3 or 3,5.")
        value = float(text.replace(",", "."))
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
        if not math.isfinite(value):
            raise AnswerError("not_a_number", "Enter a number, such as 3 or 3,5.")
    else:
        raise AnswerError("not_a_number", "Enter a number, such as 3 or 3,5.")

    too_low = minimum is not None and value < minimum - TOLERANCE
    too_high = maximum is not None and value > maximum + TOLERANCE
    if too_low or too_high:
        if minimum is not None and maximum is not None:
            range_text = f"between {_format_number(minimum)} and {_format_number(maximum)}"
        elif minimum is not None:
            range_text = f"of at least {_format_number(minimum)}"
        else:
            range_text = f"of at most {_format_number(maximum)}"
        raise AnswerError("out_of_range", f"Enter a number {range_text}.")

    if step is not None:
        if step <= 0:
            raise ValueError("step must be positive")
        base = minimum if minimum is not None else 0.0
        steps = (value - base) / step
        if abs(steps - round(steps)) > TOLERANCE:
            nearest = [
                _format_number(candidate)
                for candidate in (
                    _clean_float(base + math.floor(steps) * step),
                    _clean_float(base + math.ceil(steps) * step),
                )
                if maximum is None or candidate <= maximum + TOLERANCE
            ]
            raise AnswerError(
                "off_step",
                f"Enter a number in steps of {_format_number(step)} from {_format_number(base)}, "
                f"such as {' or '.join(nearest)}.",
            )
    return value


def _clean_single(raw: object, options: Sequence[str]) -> str:
    if _is_blank(raw):
        raise AnswerError("empty", "Choose one of the options.")
    if not isinstance(raw, str):
        raise AnswerError("wrong_type", "Choose one option.")
    choice = raw.strip()
    if choice not in options:
        raise AnswerError("unknown_option", f"Choose one of: {_list_of_options(options)}.")
    return choice


def _clean_multiple(raw: object, options: Sequence[str]) -> list[str]:
    if isinstance(raw, str):
        raw = [raw] if raw.strip() else []
    if raw is None:
        raw = []
    if not isinstance(raw, list | tuple):
        raise AnswerError("wrong_type", "Choose one or more options from the list.")
    if not raw:
        raise AnswerError("empty", "Choose at least one option.")
    for choice in raw:
        if not isinstance(choice, str) or choice not in options:
            raise AnswerError("unknown_option", f"Choose only from: {_list_of_options(options)}.")
    if len(set(raw)) != len(raw):
        raise AnswerError("duplicate_option", "Choose each option at most once.")
    chosen = set(raw)
    return [option for option in options if option in chosen]


def _clean_words(raw: object, max_words: int, max_word_length: int) -> list[str]:
    if raw is None:
        raw = []
    if isinstance(raw, str):
        raw = _WORD_SEPARATORS.split(raw)
    if not isinstance(raw, list | tuple):
        raise AnswerError("wrong_type", "Enter your words as text.")
    if not all(isinstance(word, str) for word in raw):
        raise AnswerError("wrong_type", "Enter your words as text.")
    # Blank fields are dropped rather than refused: a form offers max_words inputs and
    # most people fill in fewer.
    words = [_normalise_word(word) for word in raw if word.strip()]
    if not words:
        raise AnswerError("empty", "Enter at least one word.")
    if len(words) > max_words:
        raise AnswerError("too_many_words", f"Enter at most {max_words} words, separated by commas.")
    for word in words:
        if len(word) > max_word_length:
            raise AnswerError(
                "too_long", f"Keep each word to {max_word_length} characters at most; “{word[:20]}…” is longer."
            )
    return words


def _points(value: object) -> int:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        if not re.fullmatch(r"[+-]?\d+", text):
            raise AnswerError("not_a_number", "Give whole points, such as 20 or 35.")
        return int(text)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnswerError("not_a_number", "Give whole points, such as 20 or 35.")
    if isinstance(value, float) and not value.is_integer():
        raise AnswerError("not_a_number", "Give whole points, such as 20 or 35.")
    return int(value)


def _clean_split(raw: object, options: Sequence[str]) -> dict[str, int]:
    if raw is None:
        raise AnswerError("empty", f"Spread {SPLIT_TOTAL} points over the options.")
    if not isinstance(raw, Mapping):
        raise AnswerError("wrong_type", f"Spread {SPLIT_TOTAL} points over the options.")
    points: dict[str, int] = {}
    for option, value in raw.items():
        if option not in options:
            raise AnswerError("unknown_option", f"Spread your points over: {_list_of_options(options)}.")
        points[option] = _points(value)
        if points[option] < 0:
            raise AnswerError("out_of_range", "Give each option 0 points or more.")
    total = sum(points.values())
    if total != SPLIT_TOTAL:
        raise AnswerError("split_sum", f"Your points add up to {total}; make them add up to exactly {SPLIT_TOTAL}.")
    return {option: points.get(option, 0) for option in options}


def _clean_ranking(raw: object, options: Sequence[str]) -> list[str]:
    if raw is None:
        raw = []
    if not isinstance(raw, list | tuple):
        raise AnswerError("wrong_type", "Put the options in your order of preference.")
    if not raw:
        raise AnswerError("empty", "Put the options in your order of preference.")
    for option in raw:
        if not isinstance(option, str) or option not in options:
            raise AnswerError("unknown_option", f"Rank only these options: {_list_of_options(options)}.")
    if len(set(raw)) != len(raw):
        raise AnswerError("duplicate_rank", "Give each option exactly one place in your ranking.")
    missing = [option for option in options if option not in raw]
    if missing:
        raise AnswerError("missing_rank", f"Also give a place to: {_list_of_options(missing)}.")
    return list(raw)


def clean_answer(
    kind: str,
    raw: object,
    *,
    options: Sequence[str] = (),
    minimum: float | None = None,
    maximum: float | None = None,
    step: float | None = None,
    max_words: int = 3,
    max_word_length: int = 40,
) -> object:
    """Validate a participant's raw answer to a question of `kind` and return the value to store.

    The value is JSON-serialisable:
    - number: a float from a number or a string ("3,5" with a Dutch decimal comma is 3.5),
      within [minimum, maximum] and on a step from minimum (or 0), tolerance 1e-9;
    - single: the chosen option (str);
    - multiple: the chosen options in the order of `options` (list, at least one, no repeats);
    - words: up to `max_words` words (list), from a list or from one string split on commas
      and newlines; each stripped, at most `max_word_length` characters; blanks dropped;
    - split: every option with its whole points ≥ 0 (dict, missing options 0), adding up to 100;
    - ranking: the options in the participant's order (list), each exactly once.

    Raises AnswerError (code in ANSWER_ERROR_CODES, English message saying what to do) for an
    answer that cannot be stored, and a plain ValueError for a question kind that does not
    exist or a non-positive step, which are programming errors rather than participant errors.
    """
    if kind == "number":
        return _clean_number(raw, minimum, maximum, step)
    if kind == "single":
        return _clean_single(raw, options)
    if kind == "multiple":
        return _clean_multiple(raw, options)
    if kind == "words":
        return _clean_words(raw, max_words, max_word_length)
    if kind == "split":
        return _clean_split(raw, options)
    if kind == "ranking":
        return _clean_ranking(raw, options)
    raise ValueError(f"unknown question kind {kind!r}; expected one of {', '.join(QUESTION_KINDS)}")


# --- sessions, dots, grades ---------------------------------------------------------------


def session_states(sessions: Sequence[tuple[object, bool, bool]]) -> list[str]:
    """The process timeline: per session "done", "now", "next" or "later".

    `sessions` are (key, started, finished) in agenda order. Finished sessions are done;
    a started, unfinished one is now; the first session not started after the last
    started or finished one is next; the rest come later.
    """
    states = []
    next_given = False
    for _key, started, finished in sessions:
        if finished:
            states.append("done")
        elif started:
            states.append("now")
        elif not next_given:
            states.append("next")
            next_given = True
        else:
            states.append("later")
    return states


def seconds_left(minutes: int, elapsed_seconds: float) -> int:
    """Seconds left of a timed agenda step; negative when it runs over."""
    return round(minutes * 60 - elapsed_seconds)


DOTS_PER_VOTER = 5


def can_place_dot(dots_used: int, already_on_card: bool) -> bool:
    """One dot per card, at most DOTS_PER_VOTER dots per voter per session."""
    return not already_on_card and dots_used < DOTS_PER_VOTER


@dataclass(frozen=True)
class GradeSummary:
    """The final session's grades: how many, mean, median and the count per grade 1–10."""

    count: int
    mean: float | None
    median: float | None
    distribution: tuple[tuple[int, int], ...]


def grade_summary(grades: Sequence[int]) -> GradeSummary:
    """Mean and median rounded to 1 decimal; the distribution covers every grade 1..10."""
    counts = Counter(grades)
    return GradeSummary(
        count=len(grades),
        mean=round(statistics.fmean(grades), 1) if grades else None,
        median=round(statistics.median(grades), 1) if grades else None,
        distribution=tuple((grade, counts.get(grade, 0)) for grade in range(1, 11)),
    )
