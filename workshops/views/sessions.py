"""Design sessions: the session page, planning, the agenda, session mode on the projector,
and the final session's grades.

Viewing needs Can.VIEW, planning and running a session Can.MANAGE, and only team
managers grade.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from guardrails.models import Kind, SoftAssessment
from guardrails.queries import check_guardrails
from programmes.domain import move_item
from programmes.models import Membership, Programme, Role
from programmes.permissions import Can, can, get_programme_for_user
from programmes.queries import activities_by_year
from workshops import domain
from workshops.forms.sessions import AgendaStepForm, GradeAdoptForm, GradeForm, SessionPlanForm
from workshops.models import AgendaStep, DesignSession, FinalGrade, SessionKind

DETAIL = "workshops/sessions/session_detail.html"
MODE = "workshops/sessions/session_mode.html"
FINAL = "workshops/sessions/final_session.html"
STEP_FORM = "workshops/sessions/agenda_step_form.html"
STEP_ACTIONS = ("start", "next", "previous", "finish")
CHART_WIDTH = 400
CHART_HEIGHT = 200
CHART_BASELINE = 170


# --- timeline and pure helpers ------------------------------------------------------------


def _by_date(queryset):
    return queryset.order_by(F("starts_at").asc(nulls_last=True), "pk")


def session_timeline(programme: Programme) -> list[DesignSession]:
    """The programme's sessions by date (undated last), each with `.state`: done, now,
    next or later (workshops.domain.session_states). One query."""
    return with_states(list(_by_date(programme.sessions.all())))


def session_list(programme: Programme) -> list[DesignSession]:
    """session_timeline with each session's `.question_count` and `.step_count`. One query."""
    sessions = programme.sessions.annotate(
        question_count=Count("questions", distinct=True), step_count=Count("steps", distinct=True)
    )
    return with_states(list(_by_date(sessions)))


def with_states(sessions: list[DesignSession]) -> list[DesignSession]:
    states = domain.session_states([(s.pk, s.started_at is not None, s.finished_at is not None) for s in sessions])
    for session, state in zip(sessions, states, strict=True):
        session.state = state
    return sessions


def target_step(step_ids: Sequence[int], current_id: int | None, action: str) -> int | None:
    """The step that `action` puts on screen.

    start → the first step; next/previous → the neighbour of the current step, staying put
    at either end; a current step that is no longer on the agenda counts as "before the
    first", so next goes to the first; finish → none. An empty agenda gives None. Pure.
    """
    if action == "finish" or not step_ids:
        return None
    if action == "start" or current_id not in step_ids:
        return step_ids[0]
    index = list(step_ids).index(current_id)
    if action == "next":
        return step_ids[min(index + 1, len(step_ids) - 1)]
    if action == "previous":
        return step_ids[max(index - 1, 0)]
    raise ValueError(f"unknown action {action!r}; expected one of {', '.join(STEP_ACTIONS)}")


def clock(seconds: int) -> str:
    """Seconds as a countdown reads: 754 → "12:34", -75 → "+1:15" (over time)."""
    sign = "+" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


def grade_chart(summary: domain.GradeSummary) -> dict:
    """Vertical bars for grades 1..10 in a 400 × 200 SVG, and where the mean falls."""
    top = max((count for _grade, count in summary.distribution), default=0) or 1
    slot = CHART_WIDTH / len(summary.distribution)
    bars = []
    for index, (grade, count) in enumerate(summary.distribution):
        height = round(count / top * (CHART_BASELINE - 40), 1)
        bars.append(
            {
                "grade": grade,
                "count": count,
                "x": round(index * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": round(CHART_BASELINE - height, 1),
                "height": height,
                "label_x": round(index * slot + slot / 2, 1),
            }
        )
    # Grade g sits in the middle of slot g-1, so the mean's x is interpolated the same way.
    mean_x = round((summary.mean - 0.5) * slot, 1) if summary.mean is not None else None
    # The label stays inside the picture even for a mean near 1 or 10.
    label_x = min(max(mean_x, 60), CHART_WIDTH - 60) if mean_x is not None else None
    return {
        "bars": bars,
        "mean_x": mean_x,
        "mean_label_x": label_x,
        "baseline": CHART_BASELINE,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
    }


def chart_label(summary: domain.GradeSummary) -> str:
    """What the grade chart shows, for screen readers: "grade 6: 3 people; grade 7: 5 people"."""
    parts = [
        ngettext("grade %(grade)d: %(count)d person", "grade %(grade)d: %(count)d people", count)
        % {"grade": grade, "count": count}
        for grade, count in summary.distribution
        if count
    ]
    return "; ".join(parts)


# --- fetching -----------------------------------------------------------------------------


def _get_session(programme: Programme, pk: int) -> DesignSession:
    return get_object_or_404(
        DesignSession.objects.select_related("relay_group", "current_step"), pk=pk, programme=programme
    )


def _get_step(session: DesignSession, step_pk: int) -> AgendaStep:
    return get_object_or_404(AgendaStep, pk=step_pk, session=session)


def _detail_url(session: DesignSession) -> str:
    return reverse("session_detail", args=[session.programme.slug, session.pk])


def _timed_steps(session: DesignSession) -> list[AgendaStep]:
    """The agenda with each step's planned clock time (`.starts`) when the session has a date."""
    steps = list(session.steps.all())
    offset = 0
    for step in steps:
        step.starts = session.starts_at + timedelta(minutes=offset) if session.starts_at else None
        offset += step.minutes
    return steps


# --- the session page and planning ----------------------------------------------------------


def _agenda_context(programme, membership, session, step_form=None) -> dict:
    steps = _timed_steps(session)
    manage = can(membership, Can.MANAGE)
    if manage and step_form is None:
        step_form = AgendaStepForm(prefix="step", initial={"minutes": 15})
    return {
        "programme": programme,
        "membership": membership,
        "session": session,
        "steps": steps,
        "total_minutes": sum(step.minutes for step in steps),
        "can_manage": manage,
        "step_form": step_form,
    }


@login_required
def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    session = _get_session(programme, pk)
    state = "done" if session.finished_at else "now" if session.started_at else ""
    context = {
        **_agenda_context(programme, membership, session),
        "attendees": session.attendees.order_by("first_name", "last_name", "pk"),
        "state": state,
    }
    return render(request, DETAIL, context)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    form = SessionPlanForm(request.POST or None, instance=session, programme=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Session “%(title)s” is saved.") % {"title": session.title})
        return redirect(_detail_url(session))
    return render(
        request, "workshops/sessions/session_form.html", {"programme": programme, "session": session, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    if request.method == "POST":
        session.delete()
        messages.success(request, _("Session “%(title)s” is deleted.") % {"title": session.title})
        return redirect("sessions", slug=programme.slug)
    return render(
        request, "workshops/sessions/session_confirm_delete.html", {"programme": programme, "session": session}
    )


# --- the agenda ---------------------------------------------------------------------------------


def _agenda_response(request: HttpRequest, programme, membership, session: DesignSession) -> HttpResponse:
    """After a change: the agenda fragment for htmx, a redirect to the session page otherwise."""
    if request.htmx:
        response = render(request, f"{DETAIL}#agenda", _agenda_context(programme, membership, session))
        return reswap(retarget(response, "#agenda"), "outerHTML")
    return redirect(f"{_detail_url(session)}#agenda")


@login_required
@require_http_methods(["GET", "POST"])
def agenda_step_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    form = AgendaStepForm(request.POST or None, prefix="step", initial={"minutes": 15})
    if request.method == "POST" and form.is_valid():
        step = form.save(commit=False)
        step.session = session
        step.order = (session.steps.aggregate(m=Max("order"))["m"] or 0) + 1
        step.save()
        if not request.htmx:
            messages.success(request, _("“%(title)s” is added to the agenda.") % {"title": step.title})
        return _agenda_response(request, programme, membership, session)
    if request.htmx:
        return render(request, f"{DETAIL}#agenda", _agenda_context(programme, membership, session, step_form=form))
    return render(request, STEP_FORM, {"programme": programme, "session": session, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agenda_step_edit(request: HttpRequest, slug: str, pk: int, step_pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    step = _get_step(session, step_pk)
    form = AgendaStepForm(request.POST or None, instance=step, prefix=f"step-{step.pk}")
    if request.method == "POST" and form.is_valid():
        form.save()
        if not request.htmx:
            messages.success(request, _("“%(title)s” is saved.") % {"title": step.title})
        return _agenda_response(request, programme, membership, session)
    context = {"programme": programme, "session": session, "step": step, "form": form}
    if request.htmx:
        if request.method == "GET":
            form.fields["title"].widget.attrs["autofocus"] = True
        return render(request, f"{DETAIL}#step-form", context)
    return render(request, STEP_FORM, context)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_step_delete(request: HttpRequest, slug: str, pk: int, step_pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    step = _get_step(session, step_pk)
    if request.method == "POST":
        step.delete()
        if not request.htmx:
            messages.success(request, _("“%(title)s” is deleted from the agenda.") % {"title": step.title})
        return _agenda_response(request, programme, membership, session)
    return render(
        request,
        "workshops/sessions/agenda_step_confirm_delete.html",
        {"programme": programme, "session": session, "step": step},
    )


@login_required
@require_POST
def agenda_step_move(request: HttpRequest, slug: str, pk: int, step_pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    step = _get_step(session, step_pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is not None:
        with transaction.atomic():
            ordered = move_item(list(session.steps.order_by("order", "pk")), step, offset)
            for position, item in enumerate(ordered, start=1):
                item.order = position
            AgendaStep.objects.bulk_update(ordered, ["order"])
    return _agenda_response(request, programme, membership, session)


# --- session mode on the projector ------------------------------------------------------------


def _mode_stamp(session: DesignSession, steps: Sequence[AgendaStep]) -> str:
    """An ETag for the session-mode panel: changes with the current step, when it started,
    the session's start and finish, and the agenda's titles, minutes and order. The
    countdown itself runs in the browser, so the time of day is not part of it."""
    parts = [
        str(session.pk),
        str(session.current_step_id),
        str(session.step_started_at),
        str(session.started_at),
        str(session.finished_at),
        *(f"{step.pk}:{step.minutes}:{step.title}:{step.description}" for step in steps),
    ]
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def _mode_context(programme, session: DesignSession, notice: str = "") -> dict:
    steps = list(session.steps.all())
    ids = [step.pk for step in steps]
    index = ids.index(session.current_step_id) if session.current_step_id in ids else None
    current = steps[index] if index is not None else None
    following = steps[index + 1] if index is not None and index + 1 < len(steps) else None
    seconds = None
    if current is not None and session.step_started_at is not None:
        elapsed = (timezone.now() - session.step_started_at).total_seconds()
        seconds = domain.seconds_left(current.minutes, elapsed)
    running = session.started_at is not None and session.finished_at is None
    return {
        "programme": programme,
        "session": session,
        "steps": steps,
        "current": current,
        "position": index + 1 if index is not None else None,
        "following": following,
        "later": steps[index + 2 :] if index is not None else steps,
        "seconds_left": seconds,
        "clock": clock(seconds) if seconds is not None else "",
        "minutes_left": max(seconds, 0) // 60 if seconds is not None else None,
        "running": running,
        "total_minutes": sum(step.minutes for step in steps),
        "notice": notice,
        "etag": f'"{_mode_stamp(session, steps)}"',
    }


@login_required
def session_mode(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    return render(request, MODE, _mode_context(programme, session))


@login_required
@never_cache
@vary_on_headers("HX-Request")
def session_mode_live(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The session-mode panel, polled every 5 s: 304 while the step is the same."""
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_session(programme, pk)
    context = _mode_context(programme, session)
    if request.headers.get("If-None-Match") == context["etag"]:
        response = HttpResponseNotModified()
    else:
        response = render(request, f"{MODE}#mode", context)
    response["ETag"] = context["etag"]
    return response


def _apply_step(session: DesignSession, step_ids: list[int], action: str, seen: str | None) -> str:
    """Change the session for `action`; the notice to show when nothing changed, else ""."""
    now = timezone.now()
    if action == "finish":
        session.started_at = session.started_at or now
        session.finished_at = now
        session.current_step_id = None
        session.step_started_at = None
        return ""
    if action == "start":
        session.started_at = session.started_at or now
        session.finished_at = None
        session.current_step_id = target_step(step_ids, None, "start")
        session.step_started_at = now
        return ""
    if session.started_at is None or session.finished_at is not None:
        return _("Start the session first.")
    # A click made on an older screen (a double click, a second laptop) must not skip a step.
    if seen is not None and seen != str(session.current_step_id or ""):
        return ""
    target = target_step(step_ids, session.current_step_id, action)
    if target == session.current_step_id:
        if action == "next":
            return _("This is the last step. Finish the session when you are done.")
        return _("This is the first step.")
    session.current_step_id = target
    session.step_started_at = now
    return ""


@login_required
@require_POST
def session_step(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Start, step through and finish a session (facilitators only)."""
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    action = request.POST.get("action", "")
    notice = ""
    with transaction.atomic():
        session = get_object_or_404(DesignSession.objects.select_for_update(), pk=pk, programme=programme)
        if action not in STEP_ACTIONS:
            notice = _("Unknown action. Use start, next, previous or finish.")
        else:
            step_ids = list(session.steps.values_list("pk", flat=True))
            notice = _apply_step(session, step_ids, action, request.POST.get("at"))
            session.save(
                update_fields=["started_at", "finished_at", "current_step", "step_started_at"],
            )
    session = _get_session(programme, pk)
    if request.POST.get("back") == "detail":
        if notice:
            messages.info(request, notice)
        elif action == "finish":
            messages.success(request, _("Session “%(title)s” is finished.") % {"title": session.title})
        return redirect(_detail_url(session))
    if request.htmx:
        return render(request, f"{MODE}#mode", _mode_context(programme, session, notice))
    if notice:
        messages.info(request, notice)
    return redirect("session_mode", slug=programme.slug, pk=session.pk)


# --- final session: grades ---------------------------------------------------------------------


def _get_final(programme: Programme, pk: int) -> DesignSession:
    return get_object_or_404(DesignSession, pk=pk, programme=programme, kind=SessionKind.FINAL)


def _soft_assessments(programme: Programme) -> dict[int, list[SoftAssessment]]:
    """Per soft guardrail, the latest assessment of each subgroup. One query."""
    latest: dict[int, dict[int, SoftAssessment]] = {}
    assessments = SoftAssessment.objects.filter(guardrail__programme=programme, guardrail__kind=Kind.SOFT)
    for assessment in assessments.select_related("subgroup").order_by("-created_at", "-pk"):
        latest.setdefault(assessment.guardrail_id, {}).setdefault(assessment.subgroup_id, assessment)
    return {guardrail: list(by_subgroup.values()) for guardrail, by_subgroup in latest.items()}


def _final_context(programme, membership, session: DesignSession, user, grade_form=None, adopt_forms=None) -> dict:
    manage = can(membership, Can.MANAGE)
    grader = membership.role == Role.TEAM_MANAGER
    grades = list(session.grades.select_related("user", "change_activity__year").order_by("-grade", "pk"))
    mine = next((grade for grade in grades if grade.user_id == user.pk), None)
    if grader and grade_form is None:
        grade_form = GradeForm(instance=mine)
    show_results = not grader or mine is not None
    grouped = activities_by_year(programme)
    checks = check_guardrails(programme, grouped)
    assessments = _soft_assessments(programme)
    for item in checks:
        item.latest_assessments = assessments.get(item.guardrail.pk, [])
    if manage and show_results:
        activities = [activity for year_activities in grouped.values() for activity in year_activities]
        adopt_forms = adopt_forms or {}
        for grade in grades:
            grade.adopt_form = adopt_forms.get(grade.pk) or GradeAdoptForm(
                instance=grade, activities=activities, prefix=f"grade-{grade.pk}"
            )
    summary = domain.grade_summary([grade.grade for grade in grades])
    return {
        "programme": programme,
        "membership": membership,
        "session": session,
        "grades": grades if show_results else [],
        "mine": mine,
        "summary": summary,
        "chart": grade_chart(summary),
        "chart_label": chart_label(summary),
        "team_manager_count": Membership.objects.filter(programme=programme, role=Role.TEAM_MANAGER).count(),
        "grade_form": grade_form,
        "is_grader": grader,
        "show_results": show_results,
        "can_manage": manage,
        "checks": checks,
    }


def _store_grade(session: DesignSession, user, grade: int, suggestion: str) -> None:
    """One grade per team manager; giving it again replaces the earlier one."""
    values = {"grade": grade, "suggestion": suggestion}
    with transaction.atomic():
        if FinalGrade.objects.filter(session=session, user=user).update(updated_at=timezone.now(), **values):
            return
        try:
            with transaction.atomic():
                FinalGrade.objects.create(session=session, user=user, **values)
        except IntegrityError:
            # The same person sent the form twice at once: the constraint kept one row.
            FinalGrade.objects.filter(session=session, user=user).update(updated_at=timezone.now(), **values)


@login_required
@require_http_methods(["GET", "POST"])
def final_session(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    session = _get_final(programme, pk)
    form = None
    if request.method == "POST":
        if membership.role != Role.TEAM_MANAGER:
            raise PermissionDenied
        mine = FinalGrade.objects.filter(session=session, user=request.user).first()
        form = GradeForm(request.POST, instance=mine)
        if form.is_valid():
            _store_grade(session, request.user, form.cleaned_data["grade"], form.cleaned_data["suggestion"])
            messages.success(request, _("Thank you: your grade and suggestion are saved."))
            return redirect(f"{reverse('final_session', args=[programme.slug, session.pk])}#results")
    return render(request, FINAL, _final_context(programme, membership, session, request.user, grade_form=form))


@login_required
@require_POST
def grade_adopt(request: HttpRequest, slug: str, pk: int, grade_pk: int) -> HttpResponse:
    """Mark a suggestion adopted, with the change it led to and optionally its activity."""
    programme, membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    session = _get_final(programme, pk)
    grade = get_object_or_404(
        FinalGrade.objects.select_related("user", "change_activity__year"), pk=grade_pk, session=session
    )
    activities = [activity for year in activities_by_year(programme).values() for activity in year]
    form = GradeAdoptForm(request.POST, instance=grade, activities=activities, prefix=f"grade-{grade.pk}")
    if form.is_valid():
        grade = form.save()
        if request.htmx:
            grade.adopt_form = GradeAdoptForm(instance=grade, activities=activities, prefix=f"grade-{grade.pk}")
            context = {"programme": programme, "session": session, "grade": grade, "can_manage": True, "saved": True}
            return render(request, f"{FINAL}#suggestion", context)
        if grade.adopted:
            messages.success(request, _("The suggestion of %(name)s is marked adopted.") % {"name": _name(grade.user)})
        else:
            messages.success(request, _("The suggestion of %(name)s is saved.") % {"name": _name(grade.user)})
        return redirect(f"{reverse('final_session', args=[programme.slug, session.pk])}#grade-{grade.pk}")
    if request.htmx:
        grade = FinalGrade.objects.select_related("user", "change_activity__year").get(pk=grade.pk)
        grade.adopt_form = form
        return render(
            request,
            f"{FINAL}#suggestion",
            {"programme": programme, "session": session, "grade": grade, "can_manage": True},
        )
    context = _final_context(programme, membership, session, request.user, adopt_forms={grade.pk: form})
    return render(request, FINAL, context)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()
