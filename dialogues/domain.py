"""The rules of an async dialogue, as pure functions over plain data (no request, no ORM).

A dialogue is open until the end of its closing date, unless a facilitator closed it
earlier with an outcome. Invited people answer each explicit question and react to each
proposal with agree / abstain / disagree / block; like Loomio, disagreeing and blocking
need a reason, so the group can respond to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

AGREE, ABSTAIN, DISAGREE, BLOCK = "agree", "abstain", "disagree", "block"
REACTION_KINDS: tuple[str, ...] = (AGREE, ABSTAIN, DISAGREE, BLOCK)
REASON_REQUIRED = frozenset({DISAGREE, BLOCK})
MAX_REASON_LENGTH = 1000
MAX_ANSWER_LENGTH = 4000

# Problem codes; the forms turn them into translated messages.
UNKNOWN_KIND = "unknown_kind"
REASON_MISSING = "reason_required"
REASON_TOO_LONG = "reason_too_long"


def reaction_problem(kind: str, reason: str) -> str | None:
    """None when (kind, reason) is an acceptable reaction, else a problem code.

    The reason counts without surrounding whitespace: "   " is no reason.
    """
    if kind not in REACTION_KINDS:
        return UNKNOWN_KIND
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        return REASON_TOO_LONG
    if kind in REASON_REQUIRED and not reason:
        return REASON_MISSING
    return None


def is_open(closes_on: date, closed: bool, today: date) -> bool:
    """Open for answers and reactions: not closed by a facilitator, and today is on or before the closing date."""
    return not closed and today <= closes_on


@dataclass(frozen=True)
class Tally:
    """The reactions to one proposal: how many of each kind (in REACTION_KINDS order) and the reasons given."""

    counts: tuple[tuple[str, int], ...]
    reasons: tuple[tuple[str, str, str], ...]  # (kind, author, reason), blocks first

    @property
    def total(self) -> int:
        return sum(count for _kind, count in self.counts)

    def count(self, kind: str) -> int:
        return dict(self.counts)[kind]

    @property
    def blocked(self) -> bool:
        return self.count(BLOCK) > 0


def tally(reactions: Iterable[tuple[str, str, str]]) -> Tally:
    """Count (kind, author, reason) reactions per kind and list every non-empty reason.

    Reasons are ordered block, disagree, abstain, agree (the objections first, as the group
    has to answer them), then by author; unknown kinds are ignored.
    """
    counts = dict.fromkeys(REACTION_KINDS, 0)
    reasons = []
    for kind, author, reason in reactions:
        if kind not in counts:
            continue
        counts[kind] += 1
        if reason and reason.strip():
            reasons.append((kind, author, reason.strip()))
    weight = {kind: position for position, kind in enumerate(reversed(REACTION_KINDS))}
    reasons.sort(key=lambda item: (weight[item[0]], item[1]))
    return Tally(counts=tuple(counts.items()), reasons=tuple(reasons))


@dataclass(frozen=True)
class Progress:
    """How far one person is with one dialogue."""

    questions: int
    answered: int  # questions with at least one answer (not a reply) by this person
    proposals: int
    reacted: int  # proposals this person reacted to

    @property
    def complete(self) -> bool:
        return self.answered >= self.questions and self.reacted >= self.proposals


def needs_response(open_: bool, invited: bool, progress: Progress) -> bool:
    """Shown in "needs my response": an open dialogue the person is invited to and has not
    yet answered every question of or reacted to every proposal of."""
    return open_ and invited and not progress.complete


def reminder_due(closes_on: date, today: date) -> bool:
    """The day-before-closing reminder goes out on the day before the closing date; a
    run missed that day still reminds on the closing day itself (never after)."""
    return 0 <= (closes_on - today).days <= 1


def reminder_recipients(
    invited: Iterable[int], progress: dict[int, Progress], already_reminded: Iterable[int]
) -> list[int]:
    """The invited user ids who get the closing reminder: not fully responded and not reminded yet.

    `progress` maps a user id to their Progress; a user missing from it has not responded at all.
    """
    reminded = set(already_reminded)
    return sorted(
        user_id
        for user_id in set(invited)
        if user_id not in reminded and not (user_id in progress and progress[user_id].complete)
    )


def reply_parent(parent_id: int, grandparent_id: int | None) -> int:
    """One level of threading: a reply to a reply attaches to the top-level answer."""
    return grandparent_id if grandparent_id is not None else parent_id


def reply_recipient(replier_id: int, parent_author_id: int | None) -> int | None:
    """Who hears about a reply: the author of the answer replied to, never the replier."""
    if parent_author_id is None or parent_author_id == replier_id:
        return None
    return parent_author_id
