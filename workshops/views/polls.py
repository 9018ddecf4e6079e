from __future__ import annotations

import io
import secrets

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.signing import BadSignature
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from guardrails.adoption import adopt_result
from programmes.permissions import Can, can, get_programme_for_user
from programmes.templatetags.estafette import hours
from workshops import domain
from workshops.forms import JoinForm, QuestionForm, SessionForm
from workshops.models import DesignSession, Participant, PollAnswer, PollQuestion, QuestionKind, QuestionState
from workshops.presets import preset_labels, presets
from workshops.queries import live_stamp, phone_stamp, question_result
from workshops.ratelimit import participant_allowed
from workshops.views.sessions import session_list

COOKIE_SALT = "estafette.participant"
COOKIE_MAX_AGE = 60 * 60 * 24 * 30

ANSWER_MESSAGES = {
    "empty": gettext_lazy("Give an answer first."),
    "wrong_type": gettext_lazy("This answer does not fit the question; please answer again."),
    "not_a_number": gettext_lazy("Enter a number, for example 3 or 3.5."),
    "out_of_range": gettext_lazy("Choose a number from %(minimum)s to %(maximum)s."),
    "off_step": gettext_lazy("Choose a number in steps of %(step)s, from %(minimum)s to %(maximum)s."),
    "unknown_option": gettext_lazy("Choose one of the options shown."),
    "duplicate_option": gettext_lazy("Choose each option only once."),
    "too_many_words": gettext_lazy("Give at most three words."),
    "too_long": gettext_lazy("Keep each word to 40 characters or fewer."),
    "split_sum": gettext_lazy("Your points add up to %(total)s; make them add up to exactly 100."),
    "duplicate_rank": gettext_lazy("Give each option a different place."),
    "missing_rank": gettext_lazy("Give every option a place."),
}

SPLIT_POINTS_MESSAGE = gettext_lazy("Give each option a whole number of points from 0 to 100.")


# --- facilitator side ---------------------------------------------------------------------


def _get_session(programme, pk: int) -> DesignSession:
    return get_object_or_404(DesignSession.objects.select_related("current_question"), pk=pk, programme=programme)


def _get_question(session: DesignSession, pk: int) -> PollQuestion:
    return get_object_or_404(PollQuestion, pk=pk, session=session)


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    manage = can(membership, Can.MANAGE)
    form = SessionForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            get_programme_for_user(request.user, slug, Can.MANAGE)
        if form.is_valid():
            session = form.save(commit=False)
            session.programme = programme
            session.save()
            messages.success(request, _("Session “%(title)s” is planned.") % {"title": session.title})
            return redirect("session_detail", slug=programme.slug, pk=session.pk)
    items = session_list(programme)
    return render(
        request,
        "workshops/sessions.html",
        {"programme": programme, "sessions": items, "form": form, "can_manage": manage},
    )


def _control_context(programme, session: DesignSession, form=None) -> dict:
    questions = list(session.questions.annotate(answer_count=Count("answers")))
    return {
        "programme": programme,
        "session": session,
        "questions": questions,
        "form": form or QuestionForm(),
        "presets": preset_labels(),
        "join_url": reverse("participate", args=[session.join_code]),
    }


@login_required
def poll_control(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    context = _control_context(programme, session)
    current = session.current_question
    context["result"] = question_result(current) if current else None
    return render(request, "workshops/poll_control.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.session = session
        question.order = (session.questions.aggregate(m=Max("order"))["m"] or 0) + 1
        question.save()
        messages.success(request, _("The question is added."))
        return redirect("poll_control", slug=programme.slug, pk=session.pk)
    return render(request, "workshops/question_form.html", {"programme": programme, "session": session, "form": form})


@login_required
@require_POST
def question_preset(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    preset = presets().get(request.POST.get("preset", ""))
    if preset is None:
        messages.error(request, _("Choose one of the listed questions."))
        return redirect("poll_control", slug=programme.slug, pk=session.pk)
    order = (session.questions.aggregate(m=Max("order"))["m"] or 0) + 1
    PollQuestion.objects.create(session=session, order=order, **preset)
    messages.success(request, _("The question is added."))
    return redirect("poll_control", slug=programme.slug, pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, pk: int, question_pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    question = _get_question(session, question_pk)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST":
        if question.answers.exists():
            messages.error(request, _("This question already has answers; reset it before you change it."))
            return redirect("poll_control", slug=programme.slug, pk=session.pk)
        if form.is_valid():
            form.save()
            messages.success(request, _("The question is saved."))
            return redirect("poll_control", slug=programme.slug, pk=session.pk)
    return render(
        request,
        "workshops/question_form.html",
        {"programme": programme, "session": session, "form": form, "question": question},
    )


@login_required
@require_POST
def question_delete(request: HttpRequest, slug: str, pk: int, question_pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    question = _get_question(session, question_pk)
    question.delete()
    messages.success(request, _("The question is deleted."))
    return redirect("poll_control", slug=programme.slug, pk=session.pk)


@login_required
@require_POST
def question_action(request: HttpRequest, slug: str, pk: int, question_pk: int) -> HttpResponse:
    """Open, close, show/hide results, make current ("next") or reset one question."""
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    question = _get_question(session, question_pk)
    action = request.POST.get("action", "")
    with transaction.atomic():
        if action == "open":
            question.state = QuestionState.OPEN
            session.current_question = question
        elif action == "close":
            question.state = QuestionState.CLOSED
        elif action == "show":
            question.results_visible = True
        elif action == "hide":
            question.results_visible = False
        elif action == "current":
            session.current_question = question
        elif action == "reset":
            question.answers.all().delete()
            question.state = QuestionState.DRAFT
            question.results_visible = False
        else:
            messages.error(request, _("Unknown action."))
            return redirect("poll_control", slug=programme.slug, pk=session.pk)
        question.save()
        session.save(update_fields=["current_question"])
    return redirect("poll_control", slug=programme.slug, pk=session.pk)


@login_required
@require_POST
def session_next(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Close the current question and open the next one in order."""
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    questions = list(session.questions.all())
    current = session.current_question
    index = next((i for i, q in enumerate(questions) if q.pk == session.current_question_id), -1)
    if index + 1 >= len(questions):
        messages.info(request, _("That was the last question."))
        return redirect("poll_control", slug=programme.slug, pk=session.pk)
    following = questions[index + 1]
    with transaction.atomic():
        if current is not None and current.state == QuestionState.OPEN:
            current.state = QuestionState.CLOSED
            current.save()
        following.state = QuestionState.OPEN
        following.save()
        session.current_question = following
        session.save(update_fields=["current_question"])
    return redirect("poll_control", slug=programme.slug, pk=session.pk)


@login_required
@require_POST
def session_joining(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    session.joinable = request.POST.get("joinable") == "1"
    session.save(update_fields=["joinable"])
    return redirect("poll_control", slug=programme.slug, pk=session.pk)


@login_required
@require_POST
def adopt(request: HttpRequest, slug: str, pk: int, question_pk: int) -> HttpResponse:
    """One click: the guardrail(s) a result suggests, with the answers kept as their origin."""
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    question = _get_question(session, question_pk)
    if question.guardrails.exists():
        messages.info(request, _("This result is already a guardrail. Delete that one first to adopt it again."))
        return redirect("guardrail_board", slug=programme.slug)
    try:
        created = adopt_result(question)
    except ValueError:
        messages.error(request, _("Nobody has answered yet; there is nothing to adopt."))
        return redirect("poll_control", slug=programme.slug, pk=session.pk)
    messages.success(
        request,
        ngettext(
            "%(count)d guardrail adopted from “%(question)s”. Check its target below.",
            "%(count)d guardrails adopted from “%(question)s”. Check their targets below.",
            len(created),
        )
        % {"count": len(created), "question": question.prompt},
    )
    return redirect("guardrail_board", slug=programme.slug)


@login_required
def projector(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    context = {**_live_context(request, programme, session), "etag": f'"{live_stamp(session)}"'}
    return render(request, "workshops/projector.html", context)


def _live_context(request, programme, session) -> dict:
    current = session.current_question
    return {
        "programme": programme,
        "session": session,
        "question": current,
        "result": question_result(current) if current and current.results_visible else None,
        "answer_count": current.answers.count() if current else 0,
        "participant_count": session.participants.count(),
        "join_url": request.build_absolute_uri(reverse("participate", args=[session.join_code])),
    }


@login_required
@never_cache
@vary_on_headers("HX-Request")
def live(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The projector's live panel, polled every second: 304 when nothing changed."""
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    etag = f'"{live_stamp(session)}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = render(request, "workshops/projector.html#live", _live_context(request, programme, session))
    response["ETag"] = etag
    return response


def qr_code(request: HttpRequest, code: str) -> HttpResponse:
    session = get_object_or_404(DesignSession, join_code=code)
    url = request.build_absolute_uri(reverse("participate", args=[session.join_code]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, dark="#1f2a44", border=2, xmldecl=True)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- participant side (no account) --------------------------------------------------------


def participant_token(request: HttpRequest) -> str | None:
    try:
        return request.get_signed_cookie(settings.PARTICIPANT_COOKIE, salt=COOKIE_SALT)
    except (KeyError, BadSignature):
        return None


def with_participant_token(request: HttpRequest, response: HttpResponse, token: str) -> HttpResponse:
    if participant_token(request) != token:
        response.set_signed_cookie(
            settings.PARTICIPANT_COOKIE,
            token,
            salt=COOKIE_SALT,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _joinable_session(code: str) -> DesignSession | None:
    return (
        DesignSession.objects.select_related("current_question").filter(join_code=code.upper(), joinable=True).first()
    )


def session_for_phone(request: HttpRequest, code: str) -> tuple[DesignSession | None, Participant | None]:
    """The session of `code` and this phone's participant. Closing joining stops new
    phones only: a phone that joined earlier keeps answering.

    Every vote passes here: a phone that joined costs one query (its participant with the
    session and the question on screen); only a new phone needs a second one.
    """
    code = code.upper()
    token = participant_token(request)
    if token:
        participant = (
            Participant.objects.select_related("session__current_question")
            .filter(session__join_code=code, token=token)
            .order_by()
            .first()
        )
        if participant is not None:
            return participant.session, participant
    try:
        session = DesignSession.objects.select_related("current_question").get(join_code=code)
    except DesignSession.DoesNotExist:
        return None, None
    participant = None
    if not session.joinable:
        return None, None
    return session, participant


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        if not participant_allowed(request, "join", participant_token(request) or ""):
            form.add_error("code", _("Too many attempts. Wait a minute and try again."))
        else:
            session = _joinable_session(form.cleaned_data["code"])
            if session is None:
                form.add_error("code", _("No open session has this code. Check the code on the screen."))
            else:
                return redirect("participate", code=session.join_code)
    return render(request, "workshops/join.html", {"form": form}, status=200)


_UNKNOWN = object()


def _phone_context(session, participant, *, error=None, saved=False, raw=None, answer=_UNKNOWN) -> dict:
    """What a phone shows; `answer` is this phone's stored answer when the caller knows it."""
    question = session.current_question
    if answer is _UNKNOWN:
        answer = None
        if question is not None and participant is not None:
            answer = (
                PollAnswer.objects.filter(question=question, participant=participant)
                .values_list("value", flat=True)
                .first()
            )
    shown = question if question and question.state != QuestionState.DRAFT else None
    return {
        "session": session,
        "question": shown,
        "fields": _prefill(shown, raw if raw is not None else answer) if shown else None,
        "has_answered": answer is not None,
        "error": error,
        "saved": saved,
    }


def _number_text(answer) -> str:
    if isinstance(answer, float) and answer.is_integer():
        return str(int(answer))
    return "" if answer is None or isinstance(answer, list | dict) else str(answer)


def _prefill(question: PollQuestion, answer) -> dict:
    """What the phone's form shows: the stored answer, or what the participant just typed."""
    pairs = question.option_pairs()
    chosen = answer if isinstance(answer, list) else [answer] if isinstance(answer, str) else []
    points = answer if isinstance(answer, dict) else {}
    if question.kind == QuestionKind.RANKING:
        places = points or {key: index for index, key in enumerate(chosen, start=1)}
    else:
        places = {}
    words = [w for w in chosen if isinstance(w, str)] if question.kind == QuestionKind.WORDS else []
    return {
        "value": _number_text(answer),
        "words": [*words, "", "", ""][:3],
        "options": [
            {
                "key": key,
                "label": label,
                "checked": key in chosen,
                "points": points.get(key, ""),
                "place": str(places.get(key, "")),
            }
            for key, label in pairs
        ],
        "places": range(1, len(pairs) + 1),
    }


def participate(request: HttpRequest, code: str) -> HttpResponse:
    session, _participant = session_for_phone(request, code)
    if session is None:
        form = JoinForm(initial={"code": code})
        messages.error(request, _("No open session has this code. Check the code on the screen."))
        return render(request, "workshops/join.html", {"form": form}, status=404)
    token = participant_token(request)
    if token is None:
        if not participant_allowed(request, "join", ""):
            return render(request, "workshops/join.html", {"form": JoinForm(), "throttled": True}, status=429)
        token = secrets.token_urlsafe(24)
    participant, _created = Participant.objects.get_or_create(session=session, token=token)
    etag = f'"{phone_stamp(session)}"'
    response = render(request, "workshops/participate.html", {**_phone_context(session, participant), "etag": etag})
    return with_participant_token(request, response, token)


@never_cache
def participant_current(request: HttpRequest, code: str) -> HttpResponse:
    """The phone's question panel, polled every few seconds: 304 while the question is the same."""
    session, participant = session_for_phone(request, code)
    if session is None:
        raise Http404
    etag = f'"{phone_stamp(session)}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = render(request, "workshops/participate.html#panel", _phone_context(session, participant))
    response["ETag"] = etag
    return response


def _raw_answer(question: PollQuestion, post) -> object:
    kind = question.kind
    if kind == QuestionKind.NUMBER:
        return post.get("value")
    if kind == QuestionKind.SINGLE:
        return post.get("choice")
    if kind == QuestionKind.MULTIPLE:
        return post.getlist("choice")
    if kind == QuestionKind.WORDS:
        return post.getlist("word")
    if kind == QuestionKind.SPLIT:
        return {key: post.get(f"points-{key}", "") for key, _label in question.option_pairs()}
    ranks = {key: post.get(f"rank-{key}", "").strip() for key, _label in question.option_pairs()}
    if any(not value.isdigit() for value in ranks.values()):
        raise domain.AnswerError("missing_rank", "Give every option a place.")
    if len(set(ranks.values())) != len(ranks):
        raise domain.AnswerError("duplicate_rank", "Give each option a different place.")
    return [key for key, _place in sorted(ranks.items(), key=lambda item: int(item[1]))]


def _error_text(error: domain.AnswerError, question: PollQuestion, raw) -> str:
    """The participant's message in their language, with the question's numbers as people write them."""
    if question.kind == QuestionKind.SPLIT and error.code in ("out_of_range", "not_a_number"):
        return str(SPLIT_POINTS_MESSAGE)
    params = {
        "minimum": hours(question.minimum),
        "maximum": hours(question.maximum),
        "step": hours(question.step),
        "total": "",
    }
    if error.code == "split_sum" and isinstance(raw, dict):
        params["total"] = sum(int(v) for v in raw.values() if str(v).strip().isdigit())
    return str(ANSWER_MESSAGES.get(error.code, error.message)) % params


def _store_answer(question: PollQuestion, participant: Participant, value) -> None:
    """One answer per participant per question; answering again replaces the earlier one.

    One statement (INSERT … ON CONFLICT DO UPDATE on the unique constraint), so two
    answers from the same phone at once still leave exactly one row. updated_at moves on
    every change, so the projector's ETag notices a changed answer.
    """
    PollAnswer.objects.bulk_create(
        [PollAnswer(question=question, participant=participant, value=value, updated_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["question", "participant"],
        update_fields=["value", "updated_at"],
    )


@require_POST
def vote(request: HttpRequest, code: str, question_pk: int) -> HttpResponse:
    session, participant = session_for_phone(request, code)
    if session is None:
        raise Http404
    token = participant_token(request)
    template = "workshops/participate.html#panel" if request.htmx else "workshops/participate.html"
    if participant is None:
        messages.error(request, _("Join the session first: open the link or enter the code."))
        return redirect("participate", code=session.join_code)
    # Phones answer the question on screen: reuse it instead of fetching it again.
    if session.current_question_id == question_pk:
        question = session.current_question
    else:
        question = session.questions.filter(pk=question_pk).first()
    if question is None or question.state != QuestionState.OPEN:
        context = _phone_context(
            session, participant, error=_("This question is not open. Look at the screen for the current one.")
        )
        return render(request, template, context, status=409 if not request.htmx else 200)
    if not participant_allowed(request, "vote", token):
        context = _phone_context(session, participant, error=_("Too many answers at once. Wait a moment."))
        return render(request, template, context, status=429 if not request.htmx else 200)
    raw = (
        {key: request.POST.get(f"rank-{key}", "") for key, _label in question.option_pairs()}
        if question.kind == QuestionKind.RANKING
        else None
    )
    try:
        raw = _raw_answer(question, request.POST)
        value = domain.clean_answer(question.kind, raw, **question.answer_params())
    except domain.AnswerError as error:
        context = _phone_context(session, participant, error=_error_text(error, question, raw), raw=raw)
        return render(request, template, context)
    _store_answer(question, participant, value)
    known = value if question.pk == session.current_question_id else _UNKNOWN
    return render(request, template, _phone_context(session, participant, saved=True, answer=known))
