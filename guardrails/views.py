from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogues.queries import outcomes_for_programme
from guardrails.forms import AssessmentForm, GuardrailForm, SubgroupForm
from guardrails.models import Guardrail, Kind, SoftAssessment, Subgroup
from guardrails.queries import check_guardrails
from programmes.models import VersionConflict
from programmes.permissions import Can, can, get_programme_for_user

GUARDRAIL_FIELDS = list(GuardrailForm.Meta.fields)


def _subgroups_for(user, programme, membership):
    """The subgroups this user may assess for: their own; a facilitator may record for any."""
    subgroups = Subgroup.objects.filter(programme=programme)
    if can(membership, Can.MANAGE):
        return subgroups
    return subgroups.filter(members=user)


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    guardrails = programme.guardrails.select_related("origin_question__session").prefetch_related(
        Prefetch("assessments", queryset=SoftAssessment.objects.select_related("subgroup", "author"))
    )
    checked = check_guardrails(programme, guardrails=list(guardrails))
    subgroups = list(_subgroups_for(request.user, programme, membership))
    outcomes = outcomes_for_programme(programme, membership)["guardrails"]
    for item in checked:
        item.outcomes = outcomes.get(item.guardrail.pk, [])
        latest = {}
        for assessment in item.guardrail.assessments.all():
            latest.setdefault(assessment.subgroup_id, assessment)
        item.latest_assessments = list(latest.values())
        if subgroups and item.guardrail.kind == Kind.SOFT:
            item.assessment_form = AssessmentForm(subgroups=subgroups, auto_id=f"id_g{item.guardrail.pk}_%s")
    return render(
        request,
        "guardrails/board.html",
        {
            "programme": programme,
            "membership": membership,
            "checked": checked,
            "years": list(programme.years.filter(number__lte=programme.number_of_years)),
            "can_manage": can(membership, Can.MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def guardrail_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    form = GuardrailForm(request.POST or None, initial={"kind": Kind.HARD})
    if request.method == "POST" and form.is_valid():
        guardrail = form.save(commit=False)
        guardrail.programme = programme
        guardrail.save()
        messages.success(request, _("Guardrail “%(name)s” is added.") % {"name": guardrail.name})
        return redirect("guardrail_board", slug=programme.slug)
    return render(request, "guardrails/guardrail_form.html", {"programme": programme, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def guardrail_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    guardrail = get_object_or_404(Guardrail, pk=pk, programme=programme)
    form = GuardrailForm(request.POST or None, instance=guardrail)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.instance.save_if_current(form.based_on_version(), GUARDRAIL_FIELDS)
        except VersionConflict:
            conflict = Guardrail.objects.get(pk=guardrail.pk)
            form.take_current_version(conflict.version)
        else:
            messages.success(request, _("Guardrail “%(name)s” is saved.") % {"name": form.instance.name})
            return redirect("guardrail_board", slug=programme.slug)
    return render(
        request,
        "guardrails/guardrail_form.html",
        {"programme": programme, "form": form, "guardrail": guardrail, "conflict": conflict},
    )


@login_required
@require_http_methods(["GET", "POST"])
def guardrail_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    guardrail = get_object_or_404(Guardrail, pk=pk, programme=programme)
    if request.method == "POST":
        guardrail.delete()
        messages.success(request, _("Guardrail “%(name)s” is deleted.") % {"name": guardrail.name})
        return redirect("guardrail_board", slug=programme.slug)
    return render(request, "guardrails/guardrail_confirm_delete.html", {"programme": programme, "guardrail": guardrail})


@login_required
@require_POST
def assessment_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    # Subgroups assess the soft guardrails; the hard ones are computed.
    guardrail = get_object_or_404(Guardrail, pk=pk, programme=programme, kind=Kind.SOFT)
    subgroups = list(_subgroups_for(request.user, programme, membership))
    if not subgroups:
        get_programme_for_user(request.user, slug, Can.MANAGE)  # 403: not in any subgroup
    form = AssessmentForm(request.POST, subgroups=subgroups)
    if form.is_valid():
        assessment = form.save(commit=False)
        assessment.guardrail = guardrail
        assessment.author = request.user
        assessment.save()
        messages.success(request, _("Your assessment of “%(name)s” is saved.") % {"name": guardrail.name})
        return redirect(f"{reverse('guardrail_board', args=[programme.slug])}#guardrail-{guardrail.pk}")
    return render(
        request,
        "guardrails/assessment_form.html",
        {"programme": programme, "guardrail": guardrail, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def subgroups(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    manage = can(membership, Can.MANAGE)
    form = SubgroupForm(request.POST or None, programme=programme) if manage else None
    if request.method == "POST":
        if not manage:
            get_programme_for_user(request.user, slug, Can.MANAGE)
        if form.is_valid():
            subgroup = form.save(commit=False)
            subgroup.programme = programme
            subgroup.save()
            form.save_m2m()
            messages.success(request, _("Subgroup “%(name)s” is added.") % {"name": subgroup.name})
            return redirect("subgroups", slug=programme.slug)
    items = Subgroup.objects.filter(programme=programme).prefetch_related("members")
    return render(
        request,
        "guardrails/subgroups.html",
        {"programme": programme, "subgroups": items, "form": form, "can_manage": manage},
    )


@login_required
@require_POST
def subgroup_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    subgroup = get_object_or_404(Subgroup, pk=pk, programme=programme)
    subgroup.delete()
    messages.success(request, _("Subgroup “%(name)s” is deleted.") % {"name": subgroup.name})
    return redirect("subgroups", slug=programme.slug)
