"""The relay: groups that each design one year, and the hand-overs between them (a vlog and
a baton question that the next group answers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from programmes.models import Programme
from programmes.permissions import Can, can, get_programme_for_user
from workshops.forms.relay import AnswerForm, HandoverForm, RelayGroupForm
from workshops.media import VIDEO_TYPES, ranged_file_response
from workshops.models import Handover, RelayGroup

BOARD = "workshops/relay/board.html"


@dataclass
class Link:
    """One group in the relay chain, with what the current user may do there."""

    group: RelayGroup
    next_group: RelayGroup | None
    handover: Handover | None
    mine: bool
    in_next_group: bool
    can_record: bool
    can_answer: bool
    answer_form: AnswerForm | None = None


def _groups(programme: Programme):
    members = get_user_model().objects.order_by("first_name", "last_name", "username")
    return (
        RelayGroup.objects.filter(programme=programme)
        .select_related("year", "handover__question_by", "handover__answer_by")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("order", "pk")
    )


def _is_member(group: RelayGroup | None, user) -> bool:
    """Whether `user` is in `group`; reads prefetched members when there are some."""
    return group is not None and any(member.pk == user.pk for member in group.members.all())


def _may_answer(user, membership, next_group: RelayGroup | None) -> bool:
    """The next group in the relay answers a baton question; facilitators may record it for
    them, and they alone answer the last group's question (at the final session)."""
    return can(membership, Can.MANAGE) or _is_member(next_group, user)


def _chain(programme: Programme, user, membership, bound: AnswerForm | None = None, bound_pk=None) -> list[Link]:
    groups = list(_groups(programme))
    chain = []
    for index, group in enumerate(groups):
        next_group = groups[index + 1] if index + 1 < len(groups) else None
        handover = getattr(group, "handover", None)
        mine = _is_member(group, user)
        link = Link(
            group=group,
            next_group=next_group,
            handover=handover,
            mine=mine,
            in_next_group=_is_member(next_group, user),
            can_record=mine or can(membership, Can.MANAGE),
            can_answer=bool(handover and handover.question) and _may_answer(user, membership, next_group),
        )
        if link.can_answer:
            link.answer_form = bound if bound is not None and group.pk == bound_pk else _answer_form(handover)
            link.answer_form.fields["answer"].label = _answer_label(link)
        chain.append(link)
    return chain


def _answer_label(link: Link) -> str:
    if link.in_next_group:
        return _("Your group's answer")
    if link.next_group is None:
        return _("The answer given at the final session")
    return _("The answer of %(group)s, recorded by you") % {"group": link.next_group.name}


def _answer_form(handover: Handover, data=None) -> AnswerForm:
    return AnswerForm(data, instance=handover, auto_id=f"id_answer{handover.group_id}_%s")


def _get_group(programme: Programme, pk: int) -> RelayGroup:
    return get_object_or_404(RelayGroup.objects.select_related("year"), pk=pk, programme=programme)


def _refuse(request: HttpRequest, programme: Programme, message: str) -> HttpResponse:
    """403 with the reason in words: the generic page speaks of roles, these refusals are about groups."""
    return render(request, "workshops/relay/refused.html", {"programme": programme, "message": message}, status=403)


def _board_url(programme: Programme, group: RelayGroup | None = None) -> str:
    url = reverse("relay_board", args=[programme.slug])
    return f"{url}#group-{group.pk}" if group else url


def _delete_file_later(name: str) -> None:
    """Remove a replaced vlog from storage once the database no longer points at it."""
    if name:
        storage = Handover._meta.get_field("vlog_file").storage
        transaction.on_commit(lambda: storage.delete(name))


@login_required
def relay_board(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    return render(
        request,
        BOARD,
        {
            "programme": programme,
            "chain": _chain(programme, request.user, membership),
            "can_manage": can(membership, Can.MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def relay_groups(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    next_order = (programme.relay_groups.aggregate(m=Max("order"))["m"] or 0) + 1
    form = RelayGroupForm(request.POST or None, programme=programme, initial={"order": next_order})
    if request.method == "POST" and form.is_valid():
        group = form.save(commit=False)
        group.programme = programme
        group.save()
        form.save_m2m()
        messages.success(request, _("Relay group “%(name)s” is added.") % {"name": group.name})
        return redirect("relay_groups", slug=programme.slug)
    return render(
        request,
        "workshops/relay/groups.html",
        {"programme": programme, "groups": _groups(programme), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def relay_group_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    group = _get_group(programme, pk)
    form = RelayGroupForm(request.POST or None, instance=group, programme=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Relay group “%(name)s” is saved.") % {"name": group.name})
        return redirect("relay_groups", slug=programme.slug)
    return render(request, "workshops/relay/group_form.html", {"programme": programme, "group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def relay_group_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    group = _get_group(programme, pk)
    handover = Handover.objects.filter(group=group).first()
    if request.method == "POST":
        with transaction.atomic():
            if handover:
                _delete_file_later(handover.vlog_file.name)
            group.delete()
        messages.success(request, _("Relay group “%(name)s” is deleted.") % {"name": group.name})
        return redirect("relay_groups", slug=programme.slug)
    return render(
        request,
        "workshops/relay/group_confirm_delete.html",
        {"programme": programme, "group": group, "handover": handover},
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_edit(request: HttpRequest, slug: str, group_pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    group = _get_group(programme, group_pk)
    if not (can(membership, Can.MANAGE) or group.members.filter(pk=request.user.pk).exists()):
        return _refuse(
            request,
            programme,
            _("Only the members of “%(group)s” and the facilitators record its hand-over.") % {"group": group.name},
        )
    handover = Handover.objects.filter(group=group).first() or Handover(group=group)
    form = HandoverForm(request.POST or None, request.FILES or None, instance=handover)
    conflict = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            current = Handover.objects.select_for_update().filter(group=group).first()
            if not form.seen_matches(HandoverForm.fingerprint(current or handover)):
                conflict = current
                form.take_current(HandoverForm.fingerprint(current))
            else:
                _save_handover(form, current or Handover(group=group), request.user)
        if conflict is None:
            messages.success(request, _("The hand-over of “%(group)s” is saved.") % {"group": group.name})
            return redirect(_board_url(programme, group))
    return render(
        request,
        "workshops/relay/handover_form.html",
        {"programme": programme, "group": group, "handover": handover, "form": form, "conflict": conflict},
    )


def _save_handover(form: HandoverForm, handover: Handover, user) -> None:
    """Write the form onto the freshly read hand-over; only the fields this form owns, so the
    next group's answer saved meanwhile stays. A replaced or removed video leaves storage."""
    data = form.cleaned_data
    upload = data.get("vlog_upload")
    if data["question"] != handover.question:
        handover.question_by = user
    handover.question = data["question"]
    handover.vlog_link = data["vlog_link"]
    if upload or data.get("remove_video"):
        _delete_file_later(handover.vlog_file.name)
        handover.vlog_file = ""
        handover.vlog_kind = ""
    if upload:
        handover.vlog_kind = form.video_kind
        handover.vlog_file.save(f"vlog.{form.video_kind}", upload, save=False)
    if handover.pk is None:
        handover.save()
    else:
        handover.save(update_fields=["question", "question_by", "vlog_link", "vlog_file", "vlog_kind", "updated_at"])


@login_required
@require_POST
def handover_answer(request: HttpRequest, slug: str, group_pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    group = _get_group(programme, group_pk)
    next_group = (
        RelayGroup.objects.filter(programme=programme, order__gt=group.order)
        .prefetch_related("members")
        .order_by("order", "pk")
        .first()
    )
    if not _may_answer(request.user, membership, next_group):
        if next_group is None:
            message = _(
                "“%(group)s” is the last group of the relay; the facilitators record the answer to its baton "
                "question at the final session."
            ) % {"group": group.name}
        else:
            message = _(
                "Only “%(next)s”, the next group in the relay, answers the baton question of “%(group)s”. "
                "You can read the answer on the relay board once they have given it."
            ) % {"next": next_group.name, "group": group.name}
        return _refuse(request, programme, message)
    handover = Handover.objects.filter(group=group).first()
    if handover is None or not handover.question:
        messages.error(
            request,
            _("“%(group)s” has not handed over a baton question yet, so there is nothing to answer.")
            % {"group": group.name},
        )
        url = _board_url(programme, group)
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)

    form = _answer_form(handover, request.POST)
    if form.is_valid():
        with transaction.atomic():
            current = Handover.objects.select_for_update().get(pk=handover.pk)
            theirs = AnswerForm.fingerprint(current)
            if form.seen_matches(theirs):
                current.answer = form.cleaned_data["answer"]
                current.answer_by = request.user
                current.answered_at = timezone.now()
                current.save(update_fields=["answer", "answer_by", "answered_at", "updated_at"])
            else:
                form.take_current(theirs)
                form.add_error(
                    None,
                    _(
                        "Someone else answered while you were writing: “%(answer)s”. Your answer is still in the "
                        "form; send it again to replace theirs, or leave this page to keep it."
                    )
                    % {"answer": current.answer},
                )
        if not form.errors:
            if request.htmx:
                return _answer_partial(request, programme, membership, group, saved=True)
            messages.success(request, _("Your answer to “%(group)s” is handed in.") % {"group": group.name})
            return redirect(_board_url(programme, group))
    if request.htmx:
        return _answer_partial(request, programme, membership, group, bound=form)
    context = {
        "programme": programme,
        "chain": _chain(programme, request.user, membership, bound=form, bound_pk=group.pk),
        "can_manage": can(membership, Can.MANAGE),
    }
    return render(request, BOARD, context)


def _answer_partial(request, programme, membership, group, bound=None, saved=False) -> HttpResponse:
    chain = _chain(programme, request.user, membership, bound=bound, bound_pk=group.pk)
    link = next(link for link in chain if link.group.pk == group.pk)
    return render(request, f"{BOARD}#answer", {"programme": programme, "link": link, "saved": saved})


@login_required
@require_safe
def vlog(request: HttpRequest, slug: str, group_pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug)
    group = _get_group(programme, group_pk)
    handover = Handover.objects.filter(group=group).first()
    if handover is None or not handover.vlog_file or handover.vlog_kind not in VIDEO_TYPES:
        raise Http404
    kind = handover.vlog_kind
    try:
        return ranged_file_response(
            request,
            handover.vlog_file,
            VIDEO_TYPES[kind],
            filename=f"vlog-{slugify(group.name) or group.pk}.{kind}",
        )
    except FileNotFoundError as missing:  # the row outlived its file (a restore, a manual clean-up)
        raise Http404 from missing
