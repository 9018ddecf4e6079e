"""The kickoff inventory and the ambition drafts.

Inventory: sticky notes in four lanes (workplace anchors, concerns, challenges, looking
forward to), written by facilitators and team managers on the board and by participants
on their phones; clustered and linked to activities; dotted (at most five dots per voter
per session, one per card). Ambition drafts: proposed, voted on, and one chosen by a
facilitator becomes the programme's ambition.

Who may do what: everybody who sees the programme sees the board and places dots (the
director too: the whole group weighs the inventory); facilitators and team managers add
cards and propose drafts; a team manager changes their own cards, a facilitator all of
them; only a facilitator chooses the ambition.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from programmes.models import Activity, Programme, WorkplaceAnchor
from programmes.permissions import Can, can, get_programme_for_user
from workshops import domain
from workshops.forms.inventory import AmbitionDraftForm, CardEditForm, CardForm
from workshops.models import (
    AmbitionDraft,
    AmbitionVote,
    CardVote,
    DesignSession,
    InventoryCard,
    Lane,
    Participant,
    SessionKind,
)
from workshops.ratelimit import participant_allowed
from workshops.views.polls import participant_token, session_for_phone, with_participant_token

BOARD = "workshops/inventory/board.html"
PHONE = "workshops/inventory/phone_cards.html"
DRAFTS = "workshops/inventory/ambition_drafts.html"


# --- pure helpers ---------------------------------------------------------------------------


@dataclass
class Cluster:
    name: str  # "" for the cards nobody clustered yet
    cards: list = field(default_factory=list)


@dataclass
class LaneGroup:
    key: str
    label: str
    clusters: list[Cluster] = field(default_factory=list)
    count: int = 0
    form: object = None  # the lane's add form, for those who may add cards


def group_cards(cards: Sequence, lanes: Sequence[tuple[str, str]]) -> list[LaneGroup]:
    """The cards per lane (in the order of `lanes`, every lane even when empty), and per
    cluster within a lane: named clusters alphabetically (case-insensitive), the unclustered
    cards last. Cards keep their given order within a cluster; cards of an unknown lane are
    left out."""
    groups = {key: LaneGroup(key=key, label=str(label)) for key, label in lanes}
    clusters: dict[tuple[str, str], Cluster] = {}
    for card in cards:
        lane = groups.get(card.lane)
        if lane is None:
            continue
        lane.count += 1
        clusters.setdefault((card.lane, card.cluster), Cluster(name=card.cluster)).cards.append(card)
    for (key, _name), cluster in clusters.items():
        groups[key].clusters.append(cluster)
    for lane in groups.values():
        lane.clusters.sort(key=lambda cluster: (cluster.name == "", cluster.name.casefold()))
    return list(groups.values())


def dot_change(dots_used: int, already_on_card: bool) -> str:
    """What a click on a card's dot button does: "remove" the voter's dot when it is on the
    card, "place" one when `domain.can_place_dot` allows it, "full" when all dots are used."""
    if already_on_card:
        return "remove"
    return "place" if domain.can_place_dot(dots_used, already_on_card) else "full"


# --- lookups --------------------------------------------------------------------------------


def member_voter(user) -> str:
    return f"u{user.pk}"


def phone_voter(participant: Participant) -> str:
    return f"p{participant.pk}"


def _get_kickoff(programme: Programme, pk: int) -> DesignSession:
    """A kickoff session of this programme; another kind of session has no inventory (404)."""
    return get_object_or_404(DesignSession, pk=pk, programme=programme, kind=SessionKind.KICKOFF)


def _cards(session: DesignSession, voter: str):
    """The session's cards with their dot count, whether `voter` dotted them, the author and
    the linked activities (with their year): three queries whatever the number of cards."""
    return (
        InventoryCard.objects.filter(session=session)
        .select_related("author")
        .annotate(
            dot_count=Count("votes"),
            mine=Exists(CardVote.objects.filter(card=OuterRef("pk"), voter=voter)),
        )
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.select_related("year").order_by("year__number", "order"))
        )
        .order_by("lane", "cluster", "pk")
    )


def may_change_card(membership, user, card: InventoryCard) -> bool:
    """A facilitator changes every card; a team manager the cards they wrote."""
    if can(membership, Can.MANAGE):
        return True
    return can(membership, Can.EDIT_DESIGN) and card.author_id is not None and card.author_id == user.pk


def _get_card_to_change(request: HttpRequest, slug: str, pk: int, card_pk: int):
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    session = _get_kickoff(programme, pk)
    card = get_object_or_404(InventoryCard, pk=card_pk, session=session)
    if not may_change_card(membership, request.user, card):
        raise PermissionDenied
    return programme, membership, session, card


def _anchor_names(programme: Programme) -> set[str]:
    return {
        name.casefold() for name in WorkplaceAnchor.objects.filter(programme=programme).values_list("name", flat=True)
    }


def _dots(dots_used: int) -> dict:
    return {
        "dots_used": dots_used,
        "dots_total": domain.DOTS_PER_VOTER,
        "dots_pips": range(1, domain.DOTS_PER_VOTER + 1),
    }


def _decorate(cards, membership, user, anchor_names: set[str]) -> None:
    for card in cards:
        card.editable = may_change_card(membership, user, card)
        card.is_anchor = card.lane == Lane.ANCHORS and card.text.casefold() in anchor_names


# --- the board ------------------------------------------------------------------------------


def _board_context(request: HttpRequest, programme, membership, session, bound: CardForm | None = None) -> dict:
    cards = list(_cards(session, member_voter(request.user)))
    _decorate(cards, membership, request.user, _anchor_names(programme))
    lanes = group_cards(cards, Lane.choices)
    can_add = can(membership, Can.EDIT_DESIGN)
    if can_add:
        for lane in lanes:
            if bound is not None and bound.data.get("lane") == lane.key:
                lane.form = bound
            else:
                lane.form = CardForm(initial={"lane": lane.key}, lane_widget="hidden", auto_id=f"id_{lane.key}_%s")
    return {
        "programme": programme,
        "membership": membership,
        "session": session,
        "lanes": lanes,
        "can_add": can_add,
        **_dots(sum(1 for card in cards if card.mine)),
        "join_url": request.build_absolute_uri(reverse("join")),
    }


@login_required
def inventory(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    session = _get_kickoff(programme, pk)
    return render(request, BOARD, _board_context(request, programme, membership, session))


@login_required
@require_POST
def card_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    session = _get_kickoff(programme, pk)
    lane_key = request.POST.get("lane", "")
    if lane_key not in Lane.values:
        # The lane is a hidden field of each lane's form: only a forged request gets here.
        messages.error(request, _("Choose one of the four lanes."))
        return redirect("inventory", slug=programme.slug, pk=session.pk)
    form = CardForm(request.POST, lane_widget="hidden", auto_id=f"id_{lane_key}_%s")
    added = form.is_valid()
    if added:
        card = form.save(commit=False)
        card.session = session
        card.author = request.user
        card.save()
    if request.htmx:
        context = _board_context(request, programme, membership, session, bound=None if added else form)
        lane = next(lane for lane in context["lanes"] if lane.key == lane_key)
        return render(request, f"{BOARD}#lane", {**context, "lane": lane, "added": added})
    if added:
        messages.success(request, _("Your card is added to “%(lane)s”.") % {"lane": Lane(lane_key).label})
        return redirect(f"{reverse('inventory', args=[programme.slug, session.pk])}#lane-{lane_key}")
    messages.error(
        request, _("The card is not added yet; see the message in “%(lane)s”.") % {"lane": Lane(lane_key).label}
    )
    return render(request, BOARD, _board_context(request, programme, membership, session, bound=form))


def _toggle_dot(session: DesignSession, card: InventoryCard, voter: str) -> str:
    """Place or take back `voter`'s dot on `card`. Side effects: locks the session row (on
    PostgreSQL) so two quick clicks cannot both take a voter's fifth dot, then writes."""
    with transaction.atomic():
        DesignSession.objects.select_for_update().filter(pk=session.pk).exists()
        mine = CardVote.objects.filter(card__session=session, voter=voter)
        change = dot_change(mine.count(), mine.filter(card=card).exists())
        if change == "remove":
            mine.filter(card=card).delete()
        elif change == "place":
            try:
                with transaction.atomic():
                    CardVote.objects.create(card=card, voter=voter)
            except IntegrityError:  # the same dot twice at once: the constraint kept one
                pass
    return change


FULL_MESSAGE = gettext_lazy("You have used all your dots. Take one back from another card to place it here.")


@login_required
@require_POST
def card_vote(request: HttpRequest, slug: str, pk: int, card_pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    session = _get_kickoff(programme, pk)
    card = get_object_or_404(InventoryCard, pk=card_pk, session=session)
    voter = member_voter(request.user)
    change = _toggle_dot(session, card, voter)
    if not request.htmx:
        if change == "full":
            messages.error(request, str(FULL_MESSAGE))
        return redirect(f"{reverse('inventory', args=[programme.slug, session.pk])}#card-{card.pk}")
    card = _cards(session, voter).get(pk=card.pk)
    _decorate([card], membership, request.user, _anchor_names(programme))
    context = {
        "programme": programme,
        "session": session,
        "card": card,
        "dot_error": str(FULL_MESSAGE) if change == "full" else "",
        **_dots(CardVote.objects.filter(card__session=session, voter=voter).count()),
        "oob": True,
    }
    return render(request, f"{BOARD}#card-and-dots", context)


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request: HttpRequest, slug: str, pk: int, card_pk: int) -> HttpResponse:
    programme, _membership, session, card = _get_card_to_change(request, slug, pk, card_pk)
    form = CardEditForm(request.POST or None, instance=card, programme=programme, session=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The card is saved."))
        return redirect(f"{reverse('inventory', args=[programme.slug, session.pk])}#card-{card.pk}")
    return render(
        request,
        "workshops/inventory/card_form.html",
        {"programme": programme, "session": session, "card": card, "form": form},
    )


@login_required
@require_POST
def card_delete(request: HttpRequest, slug: str, pk: int, card_pk: int) -> HttpResponse:
    programme, _membership, session, card = _get_card_to_change(request, slug, pk, card_pk)
    card.delete()
    messages.success(request, _("The card “%(text)s” is deleted.") % {"text": card.text})
    return redirect(f"{reverse('inventory', args=[programme.slug, session.pk])}#lane-{card.lane}")


@login_required
@require_POST
def card_to_anchor(request: HttpRequest, slug: str, pk: int, card_pk: int) -> HttpResponse:
    """A card of the anchors lane becomes one of the programme's workplace anchors."""
    programme, _membership, session, card = _get_card_to_change(request, slug, pk, card_pk)
    back = f"{reverse('inventory', args=[programme.slug, session.pk])}#card-{card.pk}"
    if card.lane != Lane.ANCHORS:
        messages.error(request, _("Only a card in the lane “Workplace anchors” can become a workplace anchor."))
        return redirect(back)
    name = card.text
    if card.text.casefold() in _anchor_names(programme):
        messages.info(request, _("“%(name)s” is already a workplace anchor.") % {"name": name})
        return redirect(back)
    if len(name) > WorkplaceAnchor._meta.get_field("name").max_length:
        messages.error(request, _("An anchor's name has at most 200 characters. Shorten the card first."))
        return redirect(back)
    WorkplaceAnchor.objects.create(programme=programme, name=name)
    messages.success(
        request,
        _("“%(name)s” is now a workplace anchor; activities can name it in the year designer.") % {"name": name},
    )
    return redirect(back)


# --- phones ---------------------------------------------------------------------------------


def _phone_session(request: HttpRequest, code: str) -> tuple[DesignSession | None, Participant | None]:
    session, participant = session_for_phone(request, code)
    if session is not None and session.kind != SessionKind.KICKOFF:
        return None, None
    return session, participant


def _phone_context(session: DesignSession, participant: Participant | None, form: CardForm | None = None) -> dict:
    voter = phone_voter(participant) if participant else ""
    cards = list(_cards(session, voter))
    return {
        "session": session,
        "form": form or CardForm(lane_widget="radio"),
        "lanes": group_cards(cards, Lane.choices),
        **_dots(sum(1 for card in cards if card.mine)),
        "phone": True,
    }


@require_http_methods(["GET", "POST"])
def phone_cards(request: HttpRequest, code: str) -> HttpResponse:
    """A participant's sticky notes: add one (lane and text) and place dots, no account."""
    session, participant = _phone_session(request, code)
    if session is None:
        raise Http404
    if request.method == "GET":
        token = participant_token(request)
        if participant is None:
            if token is None and not participant_allowed(request, "join", ""):
                messages.error(request, _("Too many attempts. Wait a minute and try again."))
                return redirect("join")
            token = token or secrets.token_urlsafe(24)
            participant, _created = Participant.objects.get_or_create(session=session, token=token)
        response = render(request, PHONE, _phone_context(session, participant))
        return with_participant_token(request, response, token)
    if participant is None:
        messages.error(request, _("Join the session first: open the link or enter the code."))
        return redirect("participate", code=session.join_code)
    form = CardForm(request.POST, lane_widget="radio")
    template = f"{PHONE}#phone-board" if request.htmx else PHONE
    if not participant_allowed(request, "vote", participant_token(request) or ""):
        form.is_valid()
        form.add_error(None, _("Too many notes at once. Wait a moment and send it again."))
        return render(
            request, template, _phone_context(session, participant, form), status=200 if request.htmx else 429
        )
    if not form.is_valid():
        return render(request, template, _phone_context(session, participant, form))
    card = form.save(commit=False)
    card.session = session
    card.participant = participant
    card.save()
    if request.htmx:
        return render(
            request, template, {**_phone_context(session, participant), "added_lane": card.get_lane_display()}
        )
    messages.success(
        request, _("Thank you, your note is on the board in “%(lane)s”.") % {"lane": card.get_lane_display()}
    )
    return redirect("phone_cards", code=session.join_code)


@require_POST
def phone_card_vote(request: HttpRequest, code: str, card_pk: int) -> HttpResponse:
    session, participant = _phone_session(request, code)
    if session is None:
        raise Http404
    if participant is None:
        messages.error(request, _("Join the session first: open the link or enter the code."))
        return redirect("participate", code=session.join_code)
    card = get_object_or_404(InventoryCard, pk=card_pk, session=session)
    voter = phone_voter(participant)
    if not participant_allowed(request, "vote", participant_token(request) or ""):
        change, error = "", _("Too many dots at once. Wait a moment.")
    else:
        change = _toggle_dot(session, card, voter)
        error = str(FULL_MESSAGE) if change == "full" else ""
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{reverse('phone_cards', args=[session.join_code])}#card-{card.pk}")
    context = {
        "session": session,
        "card": _cards(session, voter).get(pk=card.pk),
        "dot_error": error,
        **_dots(CardVote.objects.filter(card__session=session, voter=voter).count()),
        "phone": True,
        "oob": True,
    }
    return render(request, f"{PHONE}#card-and-dots", context)


# --- ambition drafts ------------------------------------------------------------------------


def _kickoff_of(programme: Programme) -> DesignSession | None:
    return programme.sessions.filter(kind=SessionKind.KICKOFF).order_by("starts_at", "pk").first()


def _drafts(programme: Programme, user):
    return (
        AmbitionDraft.objects.filter(programme=programme)
        .select_related("author")
        .annotate(
            vote_count=Count("votes"),
            mine=Exists(AmbitionVote.objects.filter(draft=OuterRef("pk"), voter=user)),
        )
        .order_by("pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def ambition_drafts(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    can_propose = can(membership, Can.EDIT_DESIGN)
    form = AmbitionDraftForm(request.POST or None, programme=programme) if can_propose else None
    if request.method == "POST":
        if not can_propose:
            get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
        if form.is_valid():
            draft = form.save(commit=False)
            draft.programme = programme
            draft.author = request.user
            draft.session = _kickoff_of(programme)
            draft.save()
            messages.success(request, _("Your draft is proposed. Now everyone can vote on it."))
            return redirect(f"{reverse('ambition_drafts', args=[programme.slug])}#draft-{draft.pk}")
    return render(
        request,
        DRAFTS,
        {
            "programme": programme,
            "drafts": list(_drafts(programme, request.user)),
            "form": form,
            "can_propose": can_propose,
            "can_choose": can(membership, Can.EDIT_AMBITION),
        },
    )


@login_required
@require_POST
def ambition_vote(request: HttpRequest, slug: str, draft_pk: int) -> HttpResponse:
    """One vote per member per draft; a second click takes it back."""
    programme, membership = get_programme_for_user(request.user, slug)
    draft = get_object_or_404(AmbitionDraft, pk=draft_pk, programme=programme)
    with transaction.atomic():
        if not AmbitionVote.objects.filter(draft=draft, voter=request.user).delete()[0]:
            try:
                with transaction.atomic():
                    AmbitionVote.objects.create(draft=draft, voter=request.user)
            except IntegrityError:  # a double click: the constraint kept one vote
                pass
    if not request.htmx:
        return redirect(f"{reverse('ambition_drafts', args=[programme.slug])}#draft-{draft.pk}")
    context = {
        "programme": programme,
        "draft": _drafts(programme, request.user).get(pk=draft.pk),
        "can_choose": can(membership, Can.EDIT_AMBITION),
    }
    return render(request, f"{DRAFTS}#draft", context)


@login_required
@require_POST
def ambition_choose(request: HttpRequest, slug: str, draft_pk: int) -> HttpResponse:
    """The chosen draft becomes the programme's ambition; any earlier choice is undone."""
    programme, _membership = get_programme_for_user(request.user, slug, Can.EDIT_AMBITION)
    draft = get_object_or_404(AmbitionDraft, pk=draft_pk, programme=programme)
    with transaction.atomic():
        AmbitionDraft.objects.filter(programme=programme).exclude(pk=draft.pk).update(chosen_at=None)
        AmbitionDraft.objects.filter(pk=draft.pk).update(chosen_at=timezone.now())
        Programme.objects.filter(pk=programme.pk).update(ambition=draft.text)
    messages.success(request, _("“%(text)s” is now the programme's ambition.") % {"text": draft.text})
    return redirect(f"{reverse('ambition_drafts', args=[programme.slug])}#draft-{draft.pk}")
