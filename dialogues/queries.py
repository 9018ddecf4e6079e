"""Fetching dialogues: fixed query counts for lists, the detail page and the header count.

The "needs my response" rule lives in `domain.needs_response`; `needs_response_dialogues`
is the same rule in SQL, so the header count costs one query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from dialogues import domain
from dialogues.models import Answer, Dialogue, Invitation, Proposal, Question, Reaction
from guardrails.queries import check_guardrails
from programmes.models import Membership, Programme
from programmes.permissions import Can, can
from programmes.queries import activities_by_year, study_load_for


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _count(queryset: QuerySet, group: str):
    """A correlated COUNT(*) subquery (0 when nothing matches): no row multiplication from joins."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk", distinct=True)).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _unanswered_questions(user) -> QuerySet:
    mine = Answer.objects.filter(question=OuterRef("pk"), author=user, parent__isnull=True)
    return Question.objects.filter(dialogue=OuterRef("pk")).filter(~Exists(mine))


def _unreacted_proposals(user) -> QuerySet:
    mine = Reaction.objects.filter(proposal=OuterRef("pk"), author=user)
    return Proposal.objects.filter(dialogue=OuterRef("pk")).filter(~Exists(mine))


def open_dialogues(today: date | None = None) -> QuerySet:
    return Dialogue.objects.filter(closed_at__isnull=True, closes_on__gte=today or timezone.localdate())


def needs_response_dialogues(user, today: date | None = None) -> QuerySet:
    """Open dialogues the user is invited to with a question they have not answered or a
    proposal they have not reacted to (domain.needs_response, in one SQL query)."""
    return invited_dialogues(user, open_dialogues(today)).filter(
        Exists(_unanswered_questions(user)) | Exists(_unreacted_proposals(user))
    )


def invited_dialogues(user, dialogues: QuerySet | None = None) -> QuerySet:
    """Dialogues the user is invited to, in programmes they are still a member of."""
    dialogues = Dialogue.objects.all() if dialogues is None else dialogues
    return dialogues.filter(invitations__user=user, programme__memberships__user=user)


def needs_response_for(user, today: date | None = None) -> list[Dialogue]:
    """The dashboard list: soonest closing first, with the programme for its title. One query."""
    return list(needs_response_dialogues(user, today).select_related("programme").order_by("closes_on", "pk"))


def with_progress(queryset: QuerySet, user) -> QuerySet:
    """Annotate counts for list rows: questions, proposals, answers, invited, and this user's progress."""
    return queryset.annotate(
        n_questions=_count(Question.objects.filter(dialogue=OuterRef("pk")), "dialogue"),
        n_proposals=_count(Proposal.objects.filter(dialogue=OuterRef("pk")), "dialogue"),
        n_answers=_count(Answer.objects.filter(question__dialogue=OuterRef("pk")), "question__dialogue"),
        n_invited=_count(Invitation.objects.filter(dialogue=OuterRef("pk")), "dialogue"),
        n_answered=_count(
            Question.objects.filter(dialogue=OuterRef("pk"), answers__author=user, answers__parent__isnull=True),
            "dialogue",
        ),
        n_reacted=_count(Proposal.objects.filter(dialogue=OuterRef("pk"), reactions__author=user), "dialogue"),
        is_invited=Exists(Invitation.objects.filter(dialogue=OuterRef("pk"), user=user)),
    )


def list_rows(queryset: QuerySet, user, today: date | None = None) -> list[Dialogue]:
    """Dialogues for a list page, each with `.progress`, `.open`, `.needs_response` and
    `.days_left`; open ones first (soonest closing first), then the closed ones, newest first."""
    today = today or timezone.localdate()
    rows = list(with_progress(queryset.select_related("programme"), user))
    for row in rows:
        row.progress = domain.Progress(row.n_questions, row.n_answered, row.n_proposals, row.n_reacted)
        row.open = row.is_open(today)
        row.needs_response = domain.needs_response(row.open, row.is_invited, row.progress)
        row.days_left = (row.closes_on - today).days
    open_rows = sorted((r for r in rows if r.open), key=lambda r: (not r.needs_response, r.closes_on, r.pk))
    closed_rows = sorted((r for r in rows if not r.open), key=lambda r: r.closed_at or _as_datetime(r.closes_on))
    return open_rows + closed_rows[::-1]


def _as_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())


def visible_dialogues(programme: Programme, user, membership: Membership) -> QuerySet:
    """Facilitators see every dialogue of their programme; everyone else the ones they are invited to."""
    dialogues = Dialogue.objects.filter(programme=programme)
    if can(membership, Can.MANAGE):
        return dialogues
    return dialogues.filter(invitations__user=user)


# --- "changed after dialogue" on the guardrail board and the year designer ---------------------


@dataclass(frozen=True)
class Outcome:
    title: str
    closed_at: datetime
    change: str  # the "what changed" note ("" when only activities changed)
    url: str | None  # None when the viewer may not open the dialogue


def outcomes_for_programme(programme: Programme, membership: Membership | None = None) -> dict:
    """{"guardrails": {guardrail pk: [Outcome]}, "years": {year number: [Outcome]}}: the closed
    dialogues whose outcome changed a guardrail or activities of a year, newest first. One query.

    The url is set only when `membership` may open the dialogue (facilitators: all; others:
    when invited), so the guardrail board never links a team manager to a 404.
    """
    dialogues = Dialogue.objects.filter(programme=programme, closed_at__isnull=False)
    manage = can(membership, Can.MANAGE)
    if membership is not None and not manage:
        dialogues = dialogues.annotate(
            can_open=Exists(Invitation.objects.filter(dialogue=OuterRef("pk"), user_id=membership.user_id))
        )
    else:
        dialogues = dialogues.annotate(can_open=Value(manage))
    rows = dialogues.order_by("-closed_at", "-pk").values_list(
        "pk",
        "title",
        "closed_at",
        "outcome_change",
        "outcome_guardrail_id",
        "outcome_activities__year__number",
        "can_open",
    )
    guardrails: dict[int, list[Outcome]] = defaultdict(list)
    years: dict[int, list[Outcome]] = defaultdict(list)
    seen_guardrail, seen_year = set(), set()
    for pk, title, closed_at, change, guardrail_id, year_number, can_open in rows:
        url = reverse("dialogue_detail", args=[programme.slug, pk]) if can_open else None
        if guardrail_id is not None and (pk, guardrail_id) not in seen_guardrail:
            seen_guardrail.add((pk, guardrail_id))
            guardrails[guardrail_id].append(Outcome(title, closed_at, change, url))
        if year_number is not None and (pk, year_number) not in seen_year:
            seen_year.add((pk, year_number))
            years[year_number].append(Outcome(title, closed_at, "", url))
    return {"guardrails": dict(guardrails), "years": dict(years)}


# --- the detail page -------------------------------------------------------------------------


def _author(user, roles: dict[int, str]) -> dict:
    if user is None:
        return {"name": "", "role": ""}
    return {"name": person_name(user), "role": roles.get(user.pk, "")}


def detail_data(dialogue: Dialogue, user, today: date | None = None) -> dict:
    """Everything the detail page shows, in a fixed number of queries whatever the number of
    answers, replies and reactions: questions with their threads, proposals with their tallies
    and the user's own reaction, the invited people with how far they are, the user's progress,
    the outcome's activities and the linked context with its current numbers."""
    today = today or timezone.localdate()
    programme = dialogue.programme
    questions = list(dialogue.questions.all())
    proposals = list(dialogue.proposals.all())
    answers = list(
        Answer.objects.filter(question__dialogue=dialogue).select_related("author").order_by("created_at", "pk")
    )
    reactions = list(
        Reaction.objects.filter(proposal__dialogue=dialogue).select_related("author").order_by("updated_at", "pk")
    )
    invitations = list(dialogue.invitations.select_related("user").order_by("user__first_name", "user__username"))
    people = {answer.author_id for answer in answers} | {reaction.author_id for reaction in reactions}
    people |= {invitation.user_id for invitation in invitations}
    role_labels = dict(Membership._meta.get_field("role").choices)
    roles = {
        user_id: str(role_labels.get(role, ""))
        for user_id, role in Membership.objects.filter(programme=programme, user_id__in=people).values_list(
            "user_id", "role"
        )
    }

    replies: dict[int, list[Answer]] = defaultdict(list)
    threads: dict[int, list[Answer]] = defaultdict(list)
    answered: dict[int, set[int]] = defaultdict(set)  # user id -> question ids answered
    for answer in answers:
        answer.by = _author(answer.author, roles)
        if answer.parent_id is None:
            threads[answer.question_id].append(answer)
            if answer.author_id is not None:
                answered[answer.author_id].add(answer.question_id)
        else:
            replies[answer.parent_id].append(answer)
    for number, question in enumerate(questions, start=1):
        question.number = number
        question.threads = threads[question.pk]
        for answer in question.threads:
            answer.reply_list = replies[answer.pk]
        question.answered_by_me = question.pk in answered[user.pk]

    by_proposal: dict[int, list[Reaction]] = defaultdict(list)
    reacted: dict[int, set[int]] = defaultdict(set)
    for reaction in reactions:
        by_proposal[reaction.proposal_id].append(reaction)
        reacted[reaction.author_id].add(reaction.proposal_id)
    for number, proposal in enumerate(proposals, start=1):
        proposal.number = number
        own = [r for r in by_proposal[proposal.pk] if r.author_id == user.pk]
        proposal.mine = own[0] if own else None
        proposal.tally = domain.tally((r.kind, person_name(r.author), r.reason) for r in by_proposal[proposal.pk])
        proposal.segments = _segments(proposal.tally)

    def progress_of(user_id: int) -> domain.Progress:
        return domain.Progress(len(questions), len(answered[user_id]), len(proposals), len(reacted[user_id]))

    for invitation in invitations:
        invitation.person = _author(invitation.user, roles)
        invitation.progress = progress_of(invitation.user_id)
    invited_ids = {invitation.user_id for invitation in invitations}
    open_ = dialogue.is_open(today)
    progress = progress_of(user.pk)
    return {
        "questions": questions,
        "proposals": proposals,
        "invitations": invitations,
        "invited_count": len(invitations),
        "responded_count": sum(1 for invitation in invitations if invitation.progress.complete),
        "progress": progress,
        "is_invited": user.pk in invited_ids,
        "open": open_,
        "needs_response": domain.needs_response(open_, user.pk in invited_ids, progress),
        "days_left": (dialogue.closes_on - today).days,
        "outcome_activities": (
            list(dialogue.outcome_activities.select_related("year").order_by("year__number", "order", "pk"))
            if dialogue.is_closed
            else []
        ),
        "numbers": context_numbers(dialogue),
    }


def proposal_tallies(dialogue: Dialogue) -> list[Proposal]:
    """The proposals with `.tally` and `.segments`, for the closing page (two queries)."""
    proposals = list(dialogue.proposals.all())
    by_proposal: dict[int, list] = defaultdict(list)
    for reaction in Reaction.objects.filter(proposal__dialogue=dialogue).select_related("author"):
        by_proposal[reaction.proposal_id].append((reaction.kind, person_name(reaction.author), reaction.reason))
    for number, proposal in enumerate(proposals, start=1):
        proposal.number = number
        proposal.tally = domain.tally(by_proposal[proposal.pk])
        proposal.segments = _segments(proposal.tally)
    return proposals


def _segments(tally: domain.Tally) -> list[tuple[str, str, str]]:
    """(kind, x, width) of each kind's share of a 100-wide bar, as SVG attribute strings
    (formatted here so a Dutch page does not write 33,3 into an SVG attribute)."""
    segments, x = [], 0.0
    for kind, count in tally.counts:
        if count:
            width = 100 * count / tally.total
            segments.append((kind, f"{x:.3f}", f"{width:.3f}"))
            x += width
    return segments


def context_numbers(dialogue: Dialogue) -> dict:
    """The current numbers behind the linked guardrail, year or activity (one query for the design)."""
    programme = dialogue.programme
    if not (dialogue.guardrail_id or dialogue.year_id or dialogue.activity_id):
        return {}
    grouped = activities_by_year(programme)
    numbers: dict = {}
    if dialogue.guardrail_id:
        numbers["guardrail"] = check_guardrails(programme, grouped, guardrails=[dialogue.guardrail])[0]
    load = study_load_for(programme, grouped)
    if dialogue.year_id and dialogue.year.number in load["years"]:
        numbers["year"] = load["years"][dialogue.year.number]
    numbers["overall"] = load["overall"]
    return numbers
