from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reselect, reswap, retarget

from dialogues import notifications, queries
from dialogues.forms import AnswerForm, CloseForm, DialogueForm, ReactionForm, proposal_formset, question_formset
from dialogues.models import Dialogue, Invitation, Reaction
from programmes.models import Membership, Programme
from programmes.permissions import Can, can, get_programme_for_user

DETAIL = "dialogues/detail.html"
NEW_QUESTION_SLOTS = 3
NEW_PROPOSAL_SLOTS = 2
DEFAULT_WEEKS_OPEN = 2


def _get_dialogue_for_user(user, slug: str, pk: int, manage: bool = False):
    """The dialogue `pk` of programme `slug` with the user's membership and invitation, or 404/403.

    Facilitators see and manage every dialogue of their programme. Everyone else sees only
    the dialogues they are invited to: any other dialogue is a 404, as for non-members.
    An invited person asking to manage gets 403. Co-thinkers have no Can.VIEW on the
    programme, so this asks Membership directly. Side effects: three queries.
    """
    dialogue = get_object_or_404(
        Dialogue.objects.select_related(
            "programme", "guardrail", "year", "activity__year", "outcome_guardrail", "closed_by"
        ),
        pk=pk,
        programme__slug=slug,
    )
    membership = Membership.objects.filter(user=user, programme=dialogue.programme).first()
    if membership is None:
        raise Http404
    invitation = Invitation.objects.filter(dialogue=dialogue, user=user).first()
    manager = can(membership, Can.MANAGE)
    if invitation is None and not manager:
        raise Http404
    if manage and not manager:
        raise PermissionDenied
    return dialogue, membership, invitation


def _get_programme_for_dialogues(user, slug: str) -> tuple[Programme, Membership]:
    """A programme whose dialogue list the user may open: members who see the programme, and
    co-thinkers invited to at least one of its dialogues (404 for everyone else)."""
    programme = get_object_or_404(Programme.objects.select_related("organisation"), slug=slug)
    membership = Membership.objects.filter(user=user, programme=programme).first()
    if membership is None:
        raise Http404
    if (
        not can(membership, Can.VIEW)
        and not Invitation.objects.filter(dialogue__programme=programme, user=user).exists()
    ):
        raise Http404
    return programme, membership


def _shell(programme: Programme, membership: Membership) -> dict:
    """`programme` switches on the programme navigation in base.html: never for co-thinkers,
    whose every programme page is a 404. `home` is the programme for display."""
    return {"programme": programme if can(membership, Can.VIEW) else None, "home": programme}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _remember_language(invitation: Invitation | None, request: HttpRequest) -> None:
    """Reminders go out in the language the person last used in this dialogue."""
    if invitation is not None and invitation.language != request.LANGUAGE_CODE:
        invitation.language = request.LANGUAGE_CODE
        Invitation.objects.filter(pk=invitation.pk).update(language=invitation.language)


@login_required
def dialogues(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = _get_programme_for_dialogues(request.user, slug)
    rows = queries.list_rows(queries.visible_dialogues(programme, request.user, membership), request.user)
    return render(
        request,
        "dialogues/list.html",
        {**_shell(programme, membership), "dialogues": rows, "can_manage": can(membership, Can.MANAGE)},
    )


@login_required
def my_dialogues(request: HttpRequest) -> HttpResponse:
    rows = queries.list_rows(queries.invited_dialogues(request.user), request.user)
    return render(request, "dialogues/my_dialogues.html", {"dialogues": rows})


def _save_invitations(dialogue: Dialogue, invitees, request: HttpRequest) -> None:
    """Make the invitations match `invitees`; the newly invited get an e-mail after the commit.
    Answers of someone no longer invited stay in the dialogue."""
    wanted = {user.pk for user in invitees}
    current = set(dialogue.invitations.values_list("user_id", flat=True))
    dialogue.invitations.filter(user_id__in=current - wanted).delete()
    Invitation.objects.bulk_create(Invitation(dialogue=dialogue, user_id=user_id) for user_id in wanted - current)
    added = sorted(wanted - current)
    if added:
        transaction.on_commit(
            partial(notifications.send_invitations, dialogue.pk, added, _base_url(request)), robust=True
        )


def _form_context(programme, membership, form, questions, proposals, dialogue=None, conflict=False) -> dict:
    return {
        **_shell(programme, membership),
        "form": form,
        "questions": questions,
        "proposals": proposals,
        "dialogue": dialogue,
        "conflict": conflict,
    }


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    draft = Dialogue(programme=programme)
    data = request.POST or None
    initial = {"closes_on": timezone.localdate() + timedelta(weeks=DEFAULT_WEEKS_OPEN), "version": 1}
    for name in ("guardrail", "year", "activity"):
        if request.GET.get(name, "").isdigit():
            initial[name] = request.GET[name]
    form = DialogueForm(data, instance=draft, programme=programme, initial=initial)
    questions = question_formset(data, draft, extra=NEW_QUESTION_SLOTS - 1)
    proposals = proposal_formset(data, draft, extra=NEW_PROPOSAL_SLOTS - 1)
    if request.method == "POST" and all([form.is_valid(), questions.is_valid(), proposals.is_valid()]):
        with transaction.atomic():
            dialogue = form.save(commit=False)
            dialogue.created_by = request.user
            dialogue.save()
            questions.save_in_order(dialogue)
            proposals.save_in_order(dialogue)
            _save_invitations(dialogue, form.cleaned_data["invitees"], request)
        messages.success(request, _("The dialogue “%(title)s” is open.") % {"title": dialogue.title})
        return redirect(dialogue)
    return render(request, "dialogues/form.html", _form_context(programme, membership, form, questions, proposals))


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, membership, _invitation = _get_dialogue_for_user(request.user, slug, pk, manage=True)
    programme = dialogue.programme
    data = request.POST or None
    form = DialogueForm(data, instance=dialogue, programme=programme)
    questions = question_formset(data, dialogue, extra=1)
    proposals = proposal_formset(data, dialogue, extra=1)
    conflict = False
    if request.method == "POST" and all([form.is_valid(), questions.is_valid(), proposals.is_valid()]):
        with transaction.atomic():
            based_on = form.based_on_version()
            conflict = not Dialogue.objects.filter(pk=dialogue.pk, version=based_on).update(version=F("version") + 1)
            if not conflict:
                dialogue = form.save(commit=False)
                dialogue.version = based_on + 1
                dialogue.save()
                questions.save_in_order(dialogue)
                proposals.save_in_order(dialogue)
                _save_invitations(dialogue, form.cleaned_data["invitees"], request)
        if not conflict:
            messages.success(request, _("The dialogue “%(title)s” is saved.") % {"title": dialogue.title})
            return redirect(dialogue)
        form.take_current_version(Dialogue.objects.values_list("version", flat=True).get(pk=dialogue.pk))
    return render(
        request,
        "dialogues/form.html",
        _form_context(programme, membership, form, questions, proposals, dialogue, conflict),
    )


def _detail_context(request: HttpRequest, dialogue, membership, answer_form=None, reaction_form=None) -> dict:
    """The detail page; a bound form that failed goes back into its own place, text and all."""
    data = queries.detail_data(dialogue, request.user)
    # The invited answer and react; facilitators steer by replying to answers.
    can_answer = can_react = data["open"] and data["is_invited"]
    can_reply = data["open"] and (data["is_invited"] or can(membership, Can.MANAGE))
    failed_question = failed_parent = failed_proposal = None
    for failed, field in ((answer_form, "text"), (reaction_form, "reason")):
        if failed is not None:
            # The page opens at the form that needs attention (the browser scrolls to it).
            failed.fields[field].widget.attrs["autofocus"] = True
    if answer_form is not None:
        failed_question = _posted_id(answer_form, "question")
        failed_parent = _posted_id(answer_form, "parent")
    if reaction_form is not None:
        failed_proposal = _posted_id(reaction_form, "proposal")
    for question in data["questions"]:
        question.form = None
        if can_answer or (failed_question == question.pk and not failed_parent):
            question.form = _answer_form(dialogue, question, None, answer_form, failed_question, failed_parent)
        for answer in question.threads:
            answer.reply_form = None
            if can_reply or failed_parent == answer.pk:
                answer.reply_form = _answer_form(
                    dialogue, question, answer, answer_form, failed_question, failed_parent
                )
    for proposal in data["proposals"]:
        proposal.form = None
        if reaction_form is not None and failed_proposal == proposal.pk:
            proposal.form = reaction_form
        elif can_react:
            initial = {"proposal": proposal.pk}
            if proposal.mine:
                initial.update(kind=proposal.mine.kind, reason=proposal.mine.reason)
            proposal.form = ReactionForm(dialogue=dialogue, initial=initial, auto_id=f"id_p{proposal.pk}_%s")
    return {
        **_shell(dialogue.programme, membership),
        **data,
        "dialogue": dialogue,
        "membership": membership,
        "can_manage": can(membership, Can.MANAGE),
        "can_view_programme": can(membership, Can.VIEW),
        "can_answer": can_answer,
        "can_react": can_react,
        "can_reply": can_reply,
        "unplaced": _unplaced(data, answer_form, reaction_form),
    }


def _posted_id(form, name: str) -> int | None:
    value = form.data.get(name, "")
    return int(value) if str(value).isdigit() else None


def _answer_form(dialogue, question, parent, failed, failed_question, failed_parent) -> AnswerForm:
    parent_pk = parent.pk if parent else None
    if failed is not None and failed_question == question.pk and failed_parent == parent_pk:
        return failed
    prefix = f"id_a{parent.pk}_%s" if parent else f"id_q{question.pk}_%s"
    initial = {"question": question.pk, "parent": parent_pk}
    return AnswerForm(dialogue=dialogue, initial=initial, auto_id=prefix)


def _unplaced(data: dict, answer_form, reaction_form) -> dict | None:
    """A posted form that has no place on the page (its question was deleted, or the data was
    tampered with): the page shows its errors and its text on top, so nothing is lost."""
    question_ids = {q.pk for q in data["questions"]}
    answer_questions = {a.pk: q.pk for q in data["questions"] for a in q.threads}
    form = None
    if answer_form is not None:
        question, parent = _posted_id(answer_form, "question"), _posted_id(answer_form, "parent")
        if question not in question_ids or (parent is not None and answer_questions.get(parent) != question):
            form = answer_form
    if reaction_form is not None and _posted_id(reaction_form, "proposal") not in {p.pk for p in data["proposals"]}:
        form = reaction_form
    if form is None:
        return None
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    return {"errors": errors, "text": form.data.get("text") or form.data.get("reason") or ""}


@login_required
def dialogue_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, membership, invitation = _get_dialogue_for_user(request.user, slug, pk)
    _remember_language(invitation, request)
    return render(request, DETAIL, _detail_context(request, dialogue, membership))


def _partial_response(request: HttpRequest, context: dict, name: str, item_id: int | None) -> HttpResponse:
    """For htmx: only the question or proposal that changed, plus the progress line out of band.
    A form without a place on the page (its question is gone) gets the whole page instead."""
    items = context["questions"] if name == "question" else context["proposals"]
    item = next((item for item in items if item.pk == item_id), None)
    if item is None or context["unplaced"]:
        response = render(request, DETAIL, context)
        return reselect(reswap(retarget(response, "#main"), "outerHTML"), "#main")
    return render(request, f"{DETAIL}#{name}-fragment", {**context, name: item, "oob": True})


@login_required
@require_POST
def dialogue_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, membership, invitation = _get_dialogue_for_user(request.user, slug, pk)
    if invitation is None and not request.POST.get("parent"):
        # Facilitators steer by replying; answering the questions is for the invited.
        raise PermissionDenied
    form = AnswerForm(request.POST, dialogue=dialogue, auto_id="id_posted_%s")
    if not form.is_valid():
        context = _detail_context(request, dialogue, membership, answer_form=form)
        if request.htmx:
            return _partial_response(request, context, "question", _posted_id(form, "question"))
        return render(request, DETAIL, context)
    answer = form.save(author=request.user, language=request.LANGUAGE_CODE)
    _remember_language(invitation, request)
    if answer.parent_id:
        transaction.on_commit(
            partial(notifications.send_reply_notification, answer.pk, _base_url(request)), robust=True
        )
    saved = _("Your reply is saved.") if answer.parent_id else _("Your answer is saved.")
    if request.htmx:
        context = _detail_context(request, dialogue, membership)
        context.update(saved_message=saved, saved_answer=answer.pk)
        return _partial_response(request, context, "question", answer.question_id)
    messages.success(request, saved)
    return redirect(f"{dialogue.get_absolute_url()}#answer-{answer.pk}")


@login_required
@require_POST
def dialogue_react(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, membership, invitation = _get_dialogue_for_user(request.user, slug, pk)
    if invitation is None:
        # Facilitators steer the dialogue; only the invited react to its proposals.
        raise PermissionDenied
    form = ReactionForm(request.POST, dialogue=dialogue)
    if not form.is_valid():
        context = _detail_context(request, dialogue, membership, reaction_form=form)
        if request.htmx:
            return _partial_response(request, context, "proposal", _posted_id(form, "proposal"))
        return render(request, DETAIL, context)
    proposal = form.cleaned_data["proposal"]
    Reaction.objects.update_or_create(
        proposal=proposal,
        author=request.user,
        defaults={
            "kind": form.cleaned_data["kind"],
            "reason": form.cleaned_data["reason"].strip(),
            "updated_at": timezone.now(),
        },
    )
    _remember_language(invitation, request)
    saved = _("Your reaction is saved.")
    if request.htmx:
        context = _detail_context(request, dialogue, membership)
        context.update(saved_message=saved)
        return _partial_response(request, context, "proposal", proposal.pk)
    messages.success(request, saved)
    return redirect(f"{dialogue.get_absolute_url()}#proposal-{proposal.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, membership, _invitation = _get_dialogue_for_user(request.user, slug, pk, manage=True)
    programme = dialogue.programme
    was_closed = dialogue.is_closed
    form = CloseForm(request.POST or None, instance=dialogue, programme=programme)
    conflict = False
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            based_on = form.based_on_version()
            conflict = not Dialogue.objects.filter(pk=dialogue.pk, version=based_on).update(version=F("version") + 1)
            if not conflict:
                dialogue = form.save(commit=False)
                dialogue.version = based_on + 1
                if not was_closed:
                    dialogue.closed_at = timezone.now()
                    dialogue.closed_by = request.user
                dialogue.save()
                form.save_m2m()
        if not conflict:
            if was_closed:
                messages.success(request, _("The outcome is saved."))
            else:
                messages.success(request, _("The dialogue is closed with its outcome."))
            return redirect(dialogue)
        form.take_current_version(Dialogue.objects.values_list("version", flat=True).get(pk=dialogue.pk))
    return render(
        request,
        "dialogues/close.html",
        {
            **_shell(programme, membership),
            "dialogue": dialogue,
            "form": form,
            "conflict": conflict,
            "was_closed": was_closed,
            "activity_groups": _activity_groups(form),
            "proposals": queries.proposal_tallies(dialogue),
        },
    )


def _activity_groups(form: CloseForm) -> list[tuple[int, list, bool]]:
    """The activity checkboxes grouped by year number, for a fieldset per year; a year with a
    checked activity starts unfolded."""
    years = dict(form.fields["outcome_activities"].queryset.values_list("pk", "year__number"))
    groups: dict[int, list] = {}
    for checkbox in form["outcome_activities"]:
        groups.setdefault(years.get(int(str(checkbox.data["value"])), 0), []).append(checkbox)
    return [(number, boxes, any(box.data["selected"] for box in boxes)) for number, boxes in sorted(groups.items())]
