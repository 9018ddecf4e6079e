"""Download a programme as a zip, and create a programme from one (see programmes/exchange.py)."""

from __future__ import annotations

import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programmes import exchange
from programmes.forms import style_fields
from programmes.models import Membership, Role
from programmes.permissions import Can, get_programme_for_user

MAX_UPLOAD_BYTES = 1024 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))


def may_import(user) -> bool:
    """Staff, and whoever is a facilitator of some programme, may import one (and become
    its facilitator); nobody else can create programmes, so neither can they this way."""
    return user.is_staff or Membership.objects.filter(user=user, role=Role.FACILITATOR).exists()


class ImportForm(forms.Form):
    archive = forms.FileField(
        label=gettext_lazy("Programme export (.zip)"),
        help_text=gettext_lazy("A zip file made with “Export (zip)” on a programme's settings page."),
    )
    slug = forms.SlugField(
        label=gettext_lazy("New slug"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("Leave empty to keep the slug in the export; fill in when that one is taken."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["archive"].widget.attrs["accept"] = ".zip,application/zip"
        style_fields(self)

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        limit = max_upload_bytes()
        if archive.size > limit:
            raise forms.ValidationError(
                _("This file is larger than %(limit)s. Export the programme again or ask the site administrator.")
                % {"limit": filesizeformat(limit)}
            )
        return archive


@login_required
def programme_export(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug, Can.MANAGE)
    # A temporary file rather than memory: vlogs make archives large. FileResponse streams it
    # and closes (so deletes) it when done.
    archive = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse or below
    try:
        exchange.export_programme(programme, output=archive)
    except exchange.ExchangeError as exc:
        archive.close()
        messages.error(request, str(exc))
        return redirect("programme_settings", slug=programme.slug)
    archive.seek(0)
    return FileResponse(
        archive, as_attachment=True, filename=exchange.archive_filename(programme), content_type="application/zip"
    )


@login_required
def programme_import(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = exchange.import_programme(
                form.cleaned_data["archive"], slug=form.cleaned_data["slug"] or None, by=request.user
            )
        except exchange.SlugTaken as exc:
            form.add_error("slug", str(exc))
        except exchange.ExchangeError as exc:
            form.add_error("archive", str(exc))
        else:
            messages.success(request, _("The programme “%(title)s” is imported.") % {"title": programme.title})
            return redirect(programme)
    if form.errors:
        style_fields(form, form.errors)
    return render(request, "programmes/import_form.html", {"form": form})
