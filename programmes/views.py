from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from dialogues.queries import invited_dialogues, needs_response_for, outcomes_for_programme
from guardrails.queries import check_guardrails
from programmes import domain
from programmes.charts import mix_charts
from programmes.forms import (
    ActivityForm,
    AmbitionForm,
    AnchorForm,
    FramingForm,
    ProgrammeSettingsForm,
    YearForm,
)
from programmes.models import Activity, Programme, Stage, VersionConflict, WorkplaceAnchor, Year
from programmes.permissions import (
    Can,
    can,
    can_edit_year,
    get_programme_for_user,
    programmes_for_user,
    relay_years,
)
from programmes.queries import activities_by_year, study_load_for
from workshops.views.sessions import session_timeline

DESIGNER = "programmes/year_designer.html"
ACTIVITY_FIELDS = list(ActivityForm.Meta.fields)
YEAR_FIELDS = list(YearForm.Meta.fields)


def _get_year(programme: Programme, number: int) -> Year:
    return get_object_or_404(Year, programme=programme, number=number, number__lte=programme.number_of_years)


def _get_activity(programme: Programme, pk: int) -> Activity:
    """An activity of this programme; another programme's id is a 404."""
    return get_object_or_404(
        Activity.objects.select_related("year", "anchor"),
        pk=pk,
        year__programme=programme,
        year__number__lte=programme.number_of_years,
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    programmes = programmes_for_user(request.user)
    needs_response = needs_response_for(request.user)
    # Co-thinkers have no programmes to show: their way in is the dialogues they are invited to.
    has_dialogues = bool(needs_response) or (not programmes and invited_dialogues(request.user).exists())
    context = {
        "programmes": programmes,
        "needs_response": needs_response,
        "has_dialogues": has_dialogues,
        "needs_response_count": len(needs_response),  # the header badge counts the same list
    }
    return render(request, "programmes/dashboard.html", context)


def _overview_context(programme: Programme, membership, ambition_form=None) -> dict:
    years = list(programme.years.filter(number__lte=programme.number_of_years))
    grouped = activities_by_year(programme)
    load = study_load_for(programme, grouped)
    for year in years:
        year.load = load["years"][year.number]
    return {
        "programme": programme,
        "membership": membership,
        "years": years,
        "overall": load["overall"],
        "checks": check_guardrails(programme, grouped, load=load),
        "stages": [
            (Stage(stage).label, state) for stage, state in domain.stage_timeline(programme.stage, Stage.values)
        ],
        "sessions": session_timeline(programme),
        "ambition_form": ambition_form or AmbitionForm(instance=programme),
        "can_edit_ambition": can(membership, Can.EDIT_AMBITION),
        "can_edit_framing": can(membership, Can.EDIT_FRAMING),
        "can_manage": can(membership, Can.MANAGE),
        "can_edit_design": can(membership, Can.EDIT_DESIGN),
    }


@login_required
def programme_overview(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    return render(request, "programmes/overview.html", _overview_context(programme, membership))


@login_required
@require_POST
def ambition_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_AMBITION)
    form = AmbitionForm(request.POST, instance=programme)
    saved = form.is_valid()
    if saved:
        form.save()
        if not request.htmx:
            messages.success(request, _("The ambition is saved."))
            return redirect(programme)
    if request.htmx:
        return render(
            request,
            "programmes/overview.html#ambition",
            {"ambition_form": form, "programme": programme, "saved": saved},
        )
    return render(request, "programmes/overview.html", _overview_context(programme, membership, form))


@login_required
@require_http_methods(["GET", "POST"])
def framing_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.EDIT_FRAMING)
    form = FramingForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The framing is saved."))
        return redirect(programme)
    return render(request, "programmes/framing_form.html", {"programme": programme, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def programme_settings(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    form = ProgrammeSettingsForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            programme.ensure_years()
        messages.success(request, _("The programme settings are saved."))
        return redirect(programme)
    return render(request, "programmes/settings_form.html", {"programme": programme, "form": form})


def _designer_context(programme: Programme, membership, year: Year, new_form=None) -> dict:
    grouped = activities_by_year(programme)
    activities = grouped[year.number]
    load = study_load_for(programme, grouped)
    summary = load["years"][year.number]
    checks = [
        (item.guardrail, item.year(year.number))
        for item in check_guardrails(programme, grouped, load=load)
        if item.result
    ]
    editable = can_edit_year(None, membership, year)
    if editable and new_form is None:
        new_form = ActivityForm(programme=programme, prefix="new")
    return {
        "programme": programme,
        "membership": membership,
        "year": year,
        "years": programme.years.filter(number__lte=programme.number_of_years),
        "activities": activities,
        "summary": summary,
        "overall": load["overall"],
        "charts": mix_charts(summary),
        "outcomes": outcomes_for_programme(programme, membership)["years"].get(year.number, []),
        "checks": checks,
        "can_edit": editable,
        # A team manager reading another relay group's year is told whose it is.
        "designed_by": relay_years(membership).designed_by(year)
        if not editable and can(membership, Can.EDIT_DESIGN)
        else "",
        "new_form": new_form,
    }


def _designer_response(request: HttpRequest, programme, membership, year: Year) -> HttpResponse:
    """After a change: the whole designer fragment for htmx, a redirect otherwise."""
    if request.htmx:
        response = render(request, f"{DESIGNER}#designer", _designer_context(programme, membership, year))
        return reswap(retarget(response, "#designer"), "outerHTML")
    return redirect(year)


@login_required
def year_designer(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    year = _get_year(programme, number)
    return render(request, DESIGNER, _designer_context(programme, membership, year))


@login_required
@require_http_methods(["GET", "POST"])
def year_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    year = _get_year(programme, number)
    if not can_edit_year(request.user, membership, year):
        raise PermissionDenied
    form = YearForm(request.POST or None, instance=year)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.instance.save_if_current(form.based_on_version(), YEAR_FIELDS)
        except VersionConflict:
            conflict = Year.objects.get(pk=year.pk)
            form.take_current_version(conflict.version)
        else:
            messages.success(request, _("Year %(number)s is saved.") % {"number": year.number})
            return redirect(year)
    return render(
        request, "programmes/year_form.html", {"programme": programme, "year": year, "form": form, "conflict": conflict}
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    year = _get_year(programme, number)
    if not can_edit_year(request.user, membership, year):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, programme=programme, prefix="new", initial={"version": 1})
    if request.method == "POST" and form.is_valid():
        activity = form.save(commit=False)
        activity.year = year
        activity.order = (year.activities.aggregate(m=Max("order"))["m"] or 0) + 1
        activity.save()
        if not request.htmx:
            messages.success(request, _("“%(title)s” is added.") % {"title": activity.title})
        return _designer_response(request, programme, membership, year)
    context = {"programme": programme, "year": year, "form": form}
    if request.htmx:
        return render(request, f"{DESIGNER}#new-activity-form", {**context, "new_form": form})
    return render(request, "programmes/activity_form_page.html", context)


@login_required
def activity_row(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One activity as a row: what "cancel" in the inline editor swaps back in."""
    programme, membership = get_programme_for_user(request.user, slug)
    activity = _get_activity(programme, pk)
    if not request.htmx:
        return redirect(activity.year)
    return render(
        request,
        f"{DESIGNER}#activity-row",
        {"programme": programme, "activity": activity, "can_edit": can(membership, Can.EDIT_DESIGN)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    activity = _get_activity(programme, pk)
    year = activity.year
    if not can_edit_year(request.user, membership, year):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, instance=activity, programme=programme)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.instance.save_if_current(form.based_on_version(), ACTIVITY_FIELDS)
        except VersionConflict:
            conflict = Activity.objects.select_related("anchor").filter(pk=activity.pk).first()
            if conflict is not None:
                form.take_current_version(conflict.version)
        else:
            if not request.htmx:
                messages.success(request, _("“%(title)s” is saved.") % {"title": form.instance.title})
            return _designer_response(request, programme, membership, year)
    context = {"programme": programme, "year": year, "form": form, "activity": activity, "conflict": conflict}
    if request.htmx:
        return render(request, f"{DESIGNER}#activity-form", context)
    return render(request, "programmes/activity_form_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    activity = _get_activity(programme, pk)
    year = activity.year
    if not can_edit_year(request.user, membership, year):
        raise PermissionDenied
    if request.method == "POST":
        activity.delete()
        if not request.htmx:
            messages.success(request, _("“%(title)s” is deleted.") % {"title": activity.title})
        return _designer_response(request, programme, membership, year)
    return render(request, "programmes/activity_confirm_delete.html", {"programme": programme, "activity": activity})


@login_required
@require_POST
def activity_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    activity = _get_activity(programme, pk)
    year = activity.year
    if not can_edit_year(request.user, membership, year):
        raise PermissionDenied
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is not None:
        with transaction.atomic():
            ordered = list(year.activities.order_by("order", "pk"))
            ordered = domain.move_item(ordered, activity, step)
            for position, item in enumerate(ordered, start=1):
                item.order = position
            Activity.objects.bulk_update(ordered, ["order"])
    return _designer_response(request, programme, membership, year)


@login_required
@require_http_methods(["GET", "POST"])
def anchors(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    editable = can(membership, Can.EDIT_DESIGN)
    form = AnchorForm(request.POST or None) if editable else None
    if request.method == "POST":
        if not editable:
            get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
        if form.is_valid():
            anchor = form.save(commit=False)
            anchor.programme = programme
            anchor.save()
            messages.success(request, _("“%(name)s” is added.") % {"name": anchor.name})
            return redirect("anchors", slug=programme.slug)
    items = WorkplaceAnchor.objects.filter(programme=programme).prefetch_related("activities__year")
    return render(
        request,
        "programmes/anchors.html",
        {"programme": programme, "anchors": items, "form": form, "can_edit": editable},
    )


@login_required
@require_POST
def anchor_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    anchor = get_object_or_404(WorkplaceAnchor, pk=pk, programme=programme)
    anchor.delete()
    messages.success(request, _("“%(name)s” is deleted.") % {"name": anchor.name})
    return redirect("anchors", slug=programme.slug)
