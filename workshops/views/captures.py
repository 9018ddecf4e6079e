"""Brown-paper captures: the gallery with the multi-photo upload, one photo with its caption,
brochure toggle and delete, turning a photo into a card or an activity, and serving the
images themselves (never as public media: every image request checks membership)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from programmes.models import Activity, Programme
from programmes.permissions import Can, can, get_programme_for_user
from workshops.forms.captures import (
    BrochureToggleForm,
    CaptureActivityForm,
    CaptureCardForm,
    CaptureForm,
    CaptureUploadForm,
    delete_capture,
)
from workshops.models import Capture, DesignSession, SessionKind

GALLERY = "workshops/captures/gallery.html"
DETAIL = "workshops/captures/detail.html"
IMAGE_SIZES = {"display": "display", "thumb": "thumbnail"}
# Stored images never change (a new photo is a new capture), so a browser may keep them a
# while; "private" keeps them out of shared caches, since they are behind a login.
IMAGE_MAX_AGE = 60 * 60


def _get_capture(programme: Programme, pk: int) -> Capture:
    """A capture of this programme; another programme's id is a 404."""
    return get_object_or_404(
        Capture.objects.select_related("session__relay_group", "uploaded_by"), pk=pk, programme=programme
    )


def _gallery_url(programme: Programme, session: DesignSession | None = None, caption: str = "") -> str:
    """The gallery, filtered to `session`; `caption` pre-fills the upload form, so files that
    were refused can follow with the same caption."""
    query = {}
    if session:
        query["session"] = session.pk
    if caption:
        query["caption"] = caption
    url = reverse("captures", args=[programme.slug])
    return f"{url}?{urlencode(query)}" if query else url


def _gallery_context(request: HttpRequest, programme: Programme, membership, upload_form=None) -> dict:
    sessions = list(DesignSession.objects.filter(programme=programme).annotate(capture_count=Count("captures")))
    wanted = request.GET.get("session", "")
    selected = next((session for session in sessions if str(session.pk) == wanted), None)
    captures = (
        Capture.objects.filter(programme=programme)
        .select_related("session")
        .annotate(
            card_count=Count("cards", distinct=True),
            activity_count=Count(
                "activities",
                filter=Q(activities__year__number__lte=programme.number_of_years),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")  # Meta.ordering does not apply to a GROUP BY query
    )
    if selected:
        captures = captures.filter(session=selected)
    manage = can(membership, Can.MANAGE)
    if manage and upload_form is None:
        initial = {"session": selected, "caption": request.GET.get("caption", "")}
        upload_form = CaptureUploadForm(programme=programme, initial=initial)
    return {
        "programme": programme,
        "membership": membership,
        "captures": list(captures),
        # The filter offers the sessions that have photos (and the chosen one, even when empty).
        "filter_sessions": [session for session in sessions if session.capture_count or session == selected],
        "selected_session": selected,
        "can_manage": manage,
        "upload_form": upload_form,
    }


@login_required
@require_safe
@vary_on_headers("HX-Request")
def captures(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    context = _gallery_context(request, programme, membership)
    # The session filter swaps the gallery only; going back to a pushed address that htmx
    # no longer has in its history cache asks for the whole page again.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{GALLERY}#gallery", context)
    return render(request, GALLERY, context)


@login_required
@require_POST
def capture_upload(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    form = CaptureUploadForm(request.POST, request.FILES, programme=programme)
    if not form.is_valid():
        return render(request, GALLERY, _gallery_context(request, programme, membership, form))
    saved = form.save(uploaded_by=request.user)
    messages.success(
        request,
        ngettext("%(count)d photo is added.", "%(count)d photos are added.", len(saved)) % {"count": len(saved)},
    )
    for refusal in form.refused:
        messages.error(request, str(refusal))
    caption = form.cleaned_data["caption"] if form.refused else ""
    return redirect(_gallery_url(programme, form.cleaned_data["session"], caption))


def _detail_context(programme: Programme, membership, capture: Capture, **bound) -> dict:
    design = can(membership, Can.EDIT_DESIGN)
    manage = can(membership, Can.MANAGE)
    context = {
        "programme": programme,
        "membership": membership,
        "capture": capture,
        "cards": list(capture.cards.select_related("session")),
        "activities": list(
            capture.activities.filter(
                year__programme=programme, year__number__lte=programme.number_of_years
            ).select_related("year")
        ),
        "can_manage": manage,
        "can_edit_design": design,
        "edit_form": None,
        "card_form": None,
        "activity_form": None,
        "has_kickoff": False,
    }
    if manage:
        context["edit_form"] = bound.get("edit_form") or CaptureForm(
            instance=capture, programme=programme, prefix="capture"
        )
    if design:
        kickoffs = list(DesignSession.objects.filter(programme=programme, kind=SessionKind.KICKOFF))
        context["has_kickoff"] = bool(kickoffs)
        if kickoffs:
            chosen = capture.session if capture.session in kickoffs else kickoffs[0]
            context["card_form"] = bound.get("card_form") or CaptureCardForm(
                programme=programme, prefix="card", initial={"session": chosen}
            )
        year = None
        if capture.session_id and capture.session.relay_group_id:
            year = capture.session.relay_group.year_id
        activity_form = bound.get("activity_form") or CaptureActivityForm(
            programme=programme, membership=membership, prefix="activity", initial={"year": year, "version": 1}
        )
        context["activity_form"] = activity_form if activity_form.has_years else None
    return context


@login_required
@require_safe
def capture_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    capture = _get_capture(programme, pk)
    return render(request, DETAIL, _detail_context(programme, membership, capture))


@login_required
@require_safe
def capture_image(request: HttpRequest, slug: str, pk: int, size: str) -> FileResponse:
    programme, _membership = get_programme_for_user(request.user, slug)
    if size not in IMAGE_SIZES:
        raise Http404
    capture = get_object_or_404(Capture, pk=pk, programme=programme)
    fieldfile = getattr(capture, IMAGE_SIZES[size])
    try:
        file = fieldfile.open("rb")
    except (OSError, ValueError) as exc:  # no file stored, or it went missing from storage
        raise Http404 from exc
    # Our own name, never the stored one; "inline" shows it in the browser.
    response = FileResponse(file, content_type="image/jpeg", filename=f"brown-paper-{capture.pk}-{size}.jpg")
    response.headers["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=IMAGE_MAX_AGE)
    return response


@login_required
@require_POST
def capture_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    capture = _get_capture(programme, pk)
    form = CaptureForm(request.POST, instance=capture, programme=programme, prefix="capture")
    if form.is_valid():
        # Only these two columns: a brochure toggle saved meanwhile stays as it is.
        form.instance.save(update_fields=["caption", "session"])
        messages.success(request, _("The caption is saved."))
        return redirect("capture_detail", slug=programme.slug, pk=capture.pk)
    capture = _get_capture(programme, pk)  # the page shows what is stored, the form what was typed
    return render(request, DETAIL, _detail_context(programme, membership, capture, edit_form=form))


@login_required
@require_POST
def capture_brochure(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    capture = _get_capture(programme, pk)
    form = BrochureToggleForm(request.POST)
    if form.is_valid():
        capture.in_brochure = form.cleaned_data["in_brochure"]
        Capture.objects.filter(pk=capture.pk).update(in_brochure=capture.in_brochure)
    if request.htmx:
        return render(
            request, f"{DETAIL}#brochure", {"programme": programme, "capture": capture, "brochure_form": form}
        )
    if form.is_valid():
        if capture.in_brochure:
            messages.success(request, _("The photo is shown in the brochure."))
        else:
            messages.success(request, _("The photo is left out of the brochure."))
    else:
        messages.error(request, form.errors["in_brochure"][0])
    return redirect("capture_detail", slug=programme.slug, pk=capture.pk)


@login_required
@require_http_methods(["GET", "POST"])
def capture_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    capture = _get_capture(programme, pk)
    if request.method == "POST":
        with transaction.atomic():
            delete_capture(capture)
        messages.success(request, _("The photo is deleted."))
        return redirect("captures", slug=programme.slug)
    return render(
        request,
        "workshops/captures/confirm_delete.html",
        {
            "programme": programme,
            "capture": capture,
            "card_count": capture.cards.count(),
            "activity_count": capture.activities.count(),
        },
    )


@login_required
@require_POST
def capture_to_card(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    capture = _get_capture(programme, pk)
    form = CaptureCardForm(request.POST, programme=programme, prefix="card")
    if form.is_valid():
        card = form.save(commit=False)
        card.source_capture = capture
        card.author = request.user
        card.save()
        messages.success(
            request,
            _("The card “%(text)s” is added to the inventory of “%(session)s”.")
            % {"text": card.text, "session": card.session.title},
        )
        return redirect("capture_detail", slug=programme.slug, pk=capture.pk)
    return render(request, DETAIL, _detail_context(programme, membership, capture, card_form=form))


@login_required
@require_POST
def capture_to_activity(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug, Can.EDIT_DESIGN)
    capture = _get_capture(programme, pk)
    form = CaptureActivityForm(request.POST, programme=programme, membership=membership, prefix="activity")
    if form.is_valid():
        activity = form.save(commit=False)
        activity.source_capture = capture
        with transaction.atomic():
            last = Activity.objects.filter(year=activity.year).aggregate(m=Max("order"))["m"]
            activity.order = (last or 0) + 1
            activity.save()
        messages.success(
            request,
            _("“%(title)s” is added to year %(number)s.") % {"title": activity.title, "number": activity.year.number},
        )
        return redirect("capture_detail", slug=programme.slug, pk=capture.pk)
    return render(request, DETAIL, _detail_context(programme, membership, capture, activity_form=form))
