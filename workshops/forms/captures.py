"""Forms for brown-paper captures: uploading several photos at once, editing a caption, and
turning a photo into an inventory card or an activity ("from wall to card")."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from programmes.forms import ActivityForm, StyledModelForm, style_fields
from programmes.models import Membership, Programme, Year
from programmes.permissions import can_edit_year
from workshops.forms.inventory import CardForm
from workshops.models import Capture, DesignSession, SessionKind
from workshops.photos import PhotoError, ProcessedPhoto, process_photo

MAX_FILES_PER_UPLOAD = 20
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"

# HEIF/HEIC (an iPhone's own format) starts with an ISO box "ftyp" and one of these brands.
# Pillow cannot read it, so the facilitator gets a message that says how to send a JPEG instead.
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
HEIF_MESSAGE = _(
    "HEIC photos (the iPhone's own format) cannot be read. Share the photo as JPEG, or set "
    "Settings › Camera › Formats to “Most Compatible”, and upload it again."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files in one input; each one is checked later on its own, so one bad photo
    never costs the good ones."""

    widget = MultipleFileInput

    def to_python(self, data):
        return [item for item in (data or []) if isinstance(item, UploadedFile)]

    def validate(self, value):
        if not value and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        return bool(data)


@dataclass(frozen=True)
class Refusal:
    """An uploaded file we did not keep, by the name it had on the phone."""

    name: str
    message: str

    def __str__(self) -> str:
        return str(_("%(name)s is not added: %(message)s") % {"name": self.name, "message": self.message})


def _looks_like_heif(upload: UploadedFile) -> bool:
    try:
        upload.seek(0)
        head = upload.read(12)
        upload.seek(0)
    except (OSError, ValueError):
        return False
    return head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def _session_field(programme: Programme, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=DesignSession.objects.filter(programme=programme),
        required=False,
        label=_("Session"),
        empty_label=_("– no session –"),
        error_messages={"invalid_choice": _("Choose one of this programme's sessions, or none.")},
        **kwargs,
    )


class CaptureUploadForm(forms.Form):
    """Up to MAX_FILES_PER_UPLOAD photos, an optional session and a caption for all of them.

    Validation processes every photo (workshops.photos.process_photo): the good ones are kept
    in `accepted`, the others land in `refused` with a message per file name. The form is only
    invalid when nothing can be kept; then every refusal is an error on the photos field.
    """

    photos = MultiplePhotoField(
        label=_("Photos"),
        help_text=ngettext_lazy(
            "JPEG, PNG or WebP, at most %(max)d photo at a time.",
            "JPEG, PNG or WebP, at most %(max)d photos at a time.",
            "max",
        )
        % {"max": MAX_FILES_PER_UPLOAD},
        error_messages={"required": _("Choose one or more photos of the brown paper to upload.")},
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=300,
        required=False,
        help_text=_("Given to every photo of this upload; you can change it per photo afterwards."),
        error_messages={
            "max_length": _("Keep the caption under %(limit_value)d characters; this one has %(show_value)d.")
        },
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["session"] = _session_field(programme)
        self.order_fields(["photos", "session", "caption"])
        self.fields["photos"].widget.attrs.update(
            {
                "accept": ACCEPTED_TYPES,
                "data-max-files": MAX_FILES_PER_UPLOAD,
                "data-max-files-message": _("Choose at most %(max)d photos at a time; upload the rest afterwards.")
                % {"max": MAX_FILES_PER_UPLOAD},
            }
        )
        self.accepted: list[tuple[str, ProcessedPhoto]] = []
        self.refused: list[Refusal] = []
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        style_fields(self, self._errors)

    def clean_photos(self) -> list[UploadedFile]:
        uploads = self.cleaned_data["photos"]
        if len(uploads) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("You chose %(count)d photos; upload at most %(max)d at a time, then the rest."),
                params={"count": len(uploads), "max": MAX_FILES_PER_UPLOAD},
            )
        self.accepted, self.refused = [], []
        for upload in uploads:
            try:
                self.accepted.append((upload.name, process_photo(upload)))
            except PhotoError as error:
                message = error.message
                if error.code == "not_an_image" and _looks_like_heif(upload):
                    message = str(HEIF_MESSAGE)
                self.refused.append(Refusal(upload.name, message))
        if not self.accepted:
            raise forms.ValidationError([str(refusal) for refusal in self.refused])
        return uploads

    def save(self, uploaded_by) -> list[Capture]:
        """Store every accepted photo as a Capture. Side effects: two files per photo in the
        default storage, one row each; files of a failed row are removed again."""
        session = self.cleaned_data.get("session")
        caption = self.cleaned_data.get("caption", "")
        return [
            store_capture(self.programme, photo, session=session, caption=caption, uploaded_by=uploaded_by)
            for _name, photo in self.accepted
        ]


def store_capture(programme: Programme, photo: ProcessedPhoto, **fields) -> Capture:
    """A new Capture holding `photo`'s display version and thumbnail.

    Side effects: writes two files to the default storage and inserts one row; when the
    insert fails the two files are deleted again. Stored names never contain the uploaded
    file's name.
    """
    capture = Capture(
        programme=programme,
        width=photo.width,
        height=photo.height,
        **fields,
    )
    capture.display.save("display.jpg", ContentFile(photo.display), save=False)
    capture.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    try:
        capture.save()
    except Exception:
        delete_capture_files(capture)
        raise
    return capture


def delete_capture_files(capture: Capture) -> None:
    """Remove the capture's two files from storage (a missing file is fine)."""
    for fieldfile in (capture.display, capture.thumbnail):
        if fieldfile.name:
            fieldfile.storage.delete(fieldfile.name)


def delete_capture(capture: Capture) -> None:
    """Delete the capture; its files go once the transaction has committed. Cards and
    activities made from it stay, without their link to the photo."""
    capture.delete()  # the instance keeps its file names for the clean-up
    transaction.on_commit(lambda: delete_capture_files(capture))


class CaptureForm(StyledModelForm):
    """A facilitator's edit of one capture: its caption and session."""

    class Meta:
        model = Capture
        fields = ["caption", "session"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "caption": {
                "max_length": _("Keep the caption under %(limit_value)d characters; this one has %(show_value)d.")
            }
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"] = _session_field(programme)
        style_fields(self)


class BrochureToggleForm(forms.Form):
    """Sets (not flips) whether the photo shows in the brochure, so two facilitators clicking
    at the same moment cannot undo each other."""

    in_brochure = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Choose whether the photo shows in the brochure."),
            "invalid_choice": _("Choose whether the photo shows in the brochure."),
        },
    )


class CaptureCardForm(CardForm):
    """A sticky note read off the photo: the inventory's card form plus the kickoff session
    whose inventory gets it."""

    class Meta(CardForm.Meta):
        fields = ["session", "lane", "text"]
        labels = {"session": _("Kickoff session"), "text": _("Text on the card")}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        sessions = self.fields["session"]
        sessions.queryset = DesignSession.objects.filter(programme=programme, kind=SessionKind.KICKOFF)
        sessions.empty_label = None
        sessions.error_messages["invalid_choice"] = _("Choose one of this programme's kickoff sessions.")
        sessions.error_messages["required"] = _("Choose the kickoff session whose inventory gets the card.")
        style_fields(self)


class CaptureActivityForm(ActivityForm):
    """An activity read off the photo: the designer's activity form plus the year it goes in,
    one of the years the member may design (a team manager: their relay group's)."""

    class Meta(ActivityForm.Meta):
        fields = ["year", *ActivityForm.Meta.fields]

    def __init__(self, *args, programme: Programme, membership: Membership, **kwargs):
        super().__init__(*args, programme=programme, **kwargs)
        years = Year.objects.filter(programme=programme, number__lte=programme.number_of_years)
        editable = [year.pk for year in years if can_edit_year(None, membership, year)]
        year = self.fields["year"]
        year.queryset = years.filter(pk__in=editable)
        year.label = _("Year")
        year.empty_label = None
        year.label_from_instance = _year_label
        year.error_messages["invalid_choice"] = _("Choose one of the years you may add activities to.")
        self.has_years = bool(editable)
        style_fields(self)


def _year_label(year: Year) -> str:
    number = _("Year %(number)s") % {"number": year.number}
    return f"{number} – {year.title}" if year.title and year.title != number else str(number)
