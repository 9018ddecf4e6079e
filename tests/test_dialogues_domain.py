"""The dialogue rules as pure functions: reactions, tallies, "needs my response", reminders, threading."""

from __future__ import annotations

from datetime import date

import pytest

from dialogues import domain
from dialogues.domain import Progress

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("kind", "reason", "problem"),
    [
        ("agree", "", None),
        ("abstain", "", None),
        ("agree", "Liever iets langer dan iets schrappen.", None),
        ("disagree", "Het smeert het probleem uit.", None),
        ("block", "Leren in de zomer maakt het niet lichter.", None),
        ("disagree", "", domain.REASON_MISSING),
        ("block", "", domain.REASON_MISSING),
        ("block", "   \n ", domain.REASON_MISSING),
        ("veto", "Nee.", domain.UNKNOWN_KIND),
        ("block", "x" * (domain.MAX_REASON_LENGTH + 1), domain.REASON_TOO_LONG),
        ("agree", "x" * (domain.MAX_REASON_LENGTH + 1), domain.REASON_TOO_LONG),
        ("block", "x" * domain.MAX_REASON_LENGTH, None),
    ],
)
def test_reaction_problem(kind, reason, problem):
    assert domain.reaction_problem(kind, reason) == problem


def test_tally_counts_every_kind_and_lists_reasons_objections_first():
    reactions = [
        ("agree", "Yvonne", "Liever iets langer."),
        ("block", "Hans", "Leren in de zomer maakt het niet lichter."),
        ("abstain", "Ingrid", ""),
        ("disagree", "Marieke", "Het smeert het uit."),
        ("disagree", "Lotte", "De zomer is druk."),
    ]

    tally = domain.tally(reactions)

    assert tally.counts == (("agree", 1), ("abstain", 1), ("disagree", 2), ("block", 1))
    assert tally.total == 5
    assert tally.blocked is True
    assert tally.reasons == (
        ("block", "Hans", "Leren in de zomer maakt het niet lichter."),
        ("disagree", "Lotte", "De zomer is druk."),
        ("disagree", "Marieke", "Het smeert het uit."),
        ("agree", "Yvonne", "Liever iets langer."),
    )


def test_tally_of_nothing_is_zero_everywhere():
    tally = domain.tally([])

    assert tally.counts == (("agree", 0), ("abstain", 0), ("disagree", 0), ("block", 0))
    assert tally.total == 0
    assert tally.blocked is False
    assert tally.reasons == ()


def test_tally_ignores_unknown_kinds_and_blank_reasons():
    tally = domain.tally([("veto", "X", "Nee"), ("agree", "Y", "  ")])

    assert tally.total == 1
    assert tally.reasons == ()


@pytest.mark.parametrize(
    ("closes_on", "closed", "open_"),
    [
        (date(2026, 3, 11), False, True),
        (date(2026, 3, 10), False, True),  # the closing day itself still counts
        (date(2026, 3, 9), False, False),
        (date(2026, 3, 20), True, False),  # closed early by a facilitator
    ],
)
def test_is_open(closes_on, closed, open_):
    assert domain.is_open(closes_on, closed, TODAY) is open_


@pytest.mark.parametrize(
    ("open_", "invited", "progress", "needs"),
    [
        (True, True, Progress(3, 0, 2, 0), True),
        (True, True, Progress(3, 3, 2, 1), True),  # one proposal still without a reaction
        (True, True, Progress(3, 2, 2, 2), True),  # one question still without an answer
        (True, True, Progress(3, 3, 2, 2), False),
        (True, False, Progress(3, 0, 2, 0), False),  # not invited (a facilitator)
        (False, True, Progress(3, 0, 2, 0), False),  # closed: too late to respond
    ],
)
def test_needs_response(open_, invited, progress, needs):
    assert domain.needs_response(open_, invited, progress) is needs


@pytest.mark.parametrize(
    ("closes_on", "due"),
    [
        (date(2026, 3, 11), True),  # tomorrow: the day before closing
        (date(2026, 3, 10), True),  # today: the run of yesterday was missed
        (date(2026, 3, 12), False),
        (date(2026, 3, 9), False),
    ],
)
def test_reminder_due(closes_on, due):
    assert domain.reminder_due(closes_on, TODAY) is due


def test_reminder_goes_to_the_invited_who_have_not_fully_responded_and_were_not_reminded():
    progress = {
        1: Progress(2, 2, 2, 2),  # done
        2: Progress(2, 2, 2, 1),  # one reaction missing
        3: Progress(2, 0, 2, 0),  # started nothing (but is in the map)
    }

    recipients = domain.reminder_recipients(invited=[1, 2, 3, 4, 5], progress=progress, already_reminded=[5])

    assert recipients == [2, 3, 4]


def test_reply_to_a_reply_attaches_to_the_top_level_answer():
    assert domain.reply_parent(parent_id=7, grandparent_id=None) == 7
    assert domain.reply_parent(parent_id=9, grandparent_id=7) == 7


def test_reply_notification_goes_to_the_parent_author_but_never_to_yourself():
    assert domain.reply_recipient(replier_id=1, parent_author_id=2) == 2
    assert domain.reply_recipient(replier_id=1, parent_author_id=1) is None
    assert domain.reply_recipient(replier_id=1, parent_author_id=None) is None
