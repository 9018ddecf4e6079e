from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brochure import domain, tasks, workflow
from brochure.forms import PublishForm, ResolveForm, ReviewersForm, ReviewForm
from brochure.models import Notice, RenderKind, RenderStatus, Review, State, Version
from brochure.present import present, section_label
from programmes.permissions import Can, can, get_programme_for_user
from workshops.models import RelayGroup


def _get_version(user, slug: str, pk: int, capability: Can = Can.VIEW):
    """The version with its programme and the user's membership; 404 when the user may not see it
    (another programme's version, or a draft outside their review)."""
    programme, membership = get_programme_for_user(user, slug, capability)
    version = get_object_or_404(Version.objects.select_related("programme"), pk=pk, programme=programme)
    if not workflow.may_see(version, membership, user):
        raise Http404
    return programme, membership, version


@login_required
def version_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    versions = workflow.visible_versions(programme, membership, request.user)
    notices = Notice.objects.filter(user=request.user, version__programme=programme, read_at__isnull=True)
    return render(
        request,
        "brochure/version_list.html",
        {
            "programme": programme,
            "versions": versions,
            "notices": list(notices.select_related("version")),
            "can_manage": can(membership, Can.MANAGE),
            "publish_form": PublishForm(),
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a minor or a major version."))
        return redirect("brochure", slug)
    try:
        version = workflow.publish(
            programme, request.user, major=form.cleaned_data["kind"] == "major", note=form.cleaned_data["note"]
        )
    except domain.NothingChanged:
        latest = workflow.latest_version(programme)
        messages.warning(
            request,
            _("Nothing changed since version %(number)s, so no new version was made. Change the design first.")
            % {"number": latest.number if latest else "–"},
        )
        return redirect("brochure", slug)
    messages.success(request, _("Version %(number)s is published as a draft.") % {"number": version.number})
    return redirect(version)


def _detail_context(request, programme, membership, version: Version, **extra) -> dict:
    previous = workflow.previous_version(version)
    context = present(
        version.snapshot,
        mode="html",
        slug=programme.slug,
        version_pk=version.pk,
        previous=previous.snapshot if previous else None,
    )
    reviews: dict[str, list[Review]] = {}
    for review in version.reviews.select_related("user", "resolved_in").order_by("section", "created_at"):
        reviews.setdefault(review.section, []).append(review)
    is_manager = can(membership, Can.MANAGE)
    is_reviewer = workflow.is_reviewer(version, request.user)
    context.update(
        {
            "programme": programme,
            "membership": membership,
            "version": version,
            "previous_number": previous.number if previous else "",
            "review_ui": True,
            "section_reviews": reviews,
            "open_disputes": [r for rs in reviews.values() for r in rs if r.is_open_dispute],
            "can_manage": is_manager,
            "may_review": domain.may_review(version.state, is_manager, is_reviewer),
            "reviewer_groups": list(version.reviewer_groups.all()),
            "reviewers_form": extra.pop("reviewers_form", None)
            or ReviewersForm(programme=programme, initial={"groups": list(version.reviewer_groups.all())}),
            "has_relay_groups": RelayGroup.objects.filter(programme=programme).exists(),
            "pdf": _pdf_context(version),
            "review_form": extra.pop("review_form", None),
        }
    )
    for key, label in context["sections"]:
        for review in reviews.get(key, []):
            review.section_label = label
    context.update(extra)
    return context


@login_required
def version_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership, version = _get_version(request.user, slug, pk)
    Notice.objects.filter(user=request.user, version=version, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "brochure/version.html", _detail_context(request, programme, membership, version))


@login_required
@require_POST
def request_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership, version = _get_version(request.user, slug, pk, Can.MANAGE)
    form = ReviewersForm(request.POST, programme=programme)
    if version.state == State.RELEASED:
        messages.error(request, _("This version is already released to everyone."))
        return redirect(version)
    if not form.is_valid():
        context = _detail_context(request, programme, membership, version, reviewers_form=form)
        return render(request, "brochure/version.html", context, status=200)
    workflow.request_review(version, [g.pk for g in form.cleaned_data["groups"]])
    messages.success(
        request, _("The relay groups are asked to review version %(number)s.") % {"number": version.number}
    )
    return redirect(version)


@login_required
@require_POST
def release(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _programme, _membership, version = _get_version(request.user, slug, pk, Can.MANAGE)
    if version.state == State.RELEASED:
        messages.info(request, _("This version was already released."))
    else:
        workflow.release(version)
        messages.success(request, _("Version %(number)s is released to everyone.") % {"number": version.number})
    return redirect(version)


@login_required
@require_POST
def review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership, version = _get_version(request.user, slug, pk)
    if not domain.may_review(version.state, can(membership, Can.MANAGE), workflow.is_reviewer(version, request.user)):
        raise PermissionDenied
    form = ReviewForm(request.POST, sections=domain.sections(version.snapshot))
    if not form.is_valid():
        context = _detail_context(request, programme, membership, version, review_form=form)
        return render(request, "brochure/version.html", context, status=200)
    data = form.cleaned_data
    workflow.record_review(version, request.user, data["section"], data["verdict"], data["comment"])
    messages.success(
        request,
        _("Your verdict on “%(section)s” is saved.") % {"section": section_label(data["section"], version.snapshot)},
    )
    return redirect(f"{version.get_absolute_url()}#review-{data['section']}")


@login_required
@require_POST
def resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership, version = _get_version(request.user, slug, pk, Can.MANAGE)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose the dispute to resolve.")]:
            messages.error(request, error)
        return redirect(version)
    dispute = get_object_or_404(Review, pk=form.cleaned_data["review"], version=version)
    new_version = None
    with transaction.atomic():
        if form.cleaned_data["new_version"]:
            try:
                new_version = workflow.publish(programme, request.user, note=form.cleaned_data["reply"][:300])
            except domain.NothingChanged:
                messages.error(request, _("The design did not change since the latest version: change it first."))
                return redirect(version)
        workflow.resolve(dispute, request.user, form.cleaned_data["reply"], new_version)
    if new_version:
        messages.success(request, _("Resolved in the new version %(number)s.") % {"number": new_version.number})
        return redirect(new_version)
    messages.success(request, _("The dispute is resolved."))
    return redirect(version)


@login_required
def photo(request: HttpRequest, slug: str, pk: int, index: int) -> HttpResponse:
    """A photo as the version keeps it: only for those who may see the version."""
    programme, _membership, version = _get_version(request.user, slug, pk)
    photos = version.snapshot.get("photos", [])
    if index >= len(photos):
        raise Http404
    from django.core.files.storage import default_storage

    try:
        handle = default_storage.open(photos[index]["file"], "rb")
    except OSError as exc:
        raise Http404 from exc
    # Our own name, never the stored one; "inline" shows it in the page.
    filename = f"{programme.slug}-brochure-{version.number}-photo-{index + 1}.jpg"
    response = FileResponse(handle, content_type="image/jpeg", filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _pdf_context(version: Version) -> list[dict]:
    language = get_language()
    return [
        {"kind": kind, "label": label, "rendering": tasks.rendering_for(version, kind, language)}
        for kind, label in RenderKind.choices
    ]


@login_required
@require_http_methods(["GET", "POST"])
def pdf_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the PDF panel (htmx polls it while a render runs). POST: start or retry a render."""
    programme, _membership, version = _get_version(request.user, slug, pk)
    if request.method == "POST":
        kind = request.POST.get("kind", RenderKind.BROCHURE)
        if kind not in RenderKind.values:
            kind = RenderKind.BROCHURE
        tasks.request_rendering(version, kind, get_language())
        if not request.htmx:
            return redirect(f"{version.get_absolute_url()}#pdf-panel")
    return render(
        request, "brochure/_pdf.html", {"programme": programme, "version": version, "pdf": _pdf_context(version)}
    )


@login_required
def pdf_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _programme, _membership, version = _get_version(request.user, slug, pk)
    kind = request.GET.get("kind", RenderKind.BROCHURE)
    rendering = tasks.rendering_for(version, kind if kind in RenderKind.values else RenderKind.BROCHURE, get_language())
    if rendering is None or rendering.status != RenderStatus.DONE or not rendering.file:
        messages.info(request, _("This PDF is not ready yet. Make it first."))
        return redirect(version)
    try:
        handle = rendering.file.open("rb")
    except OSError:
        messages.error(request, _("The stored PDF is missing. Make it again."))
        rendering.status = RenderStatus.FAILED
        rendering.save(update_fields=["status"])
        return redirect(version)
    suffix = "-poster" if rendering.kind == RenderKind.POSTER else ""
    filename = f"{version.programme.slug}-brochure-{version.number}{suffix}.pdf"
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
