from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from programmes.forms import StyledModelForm, style_fields
from programmes.models import Programme, Role
from workshops.media import VideoError, max_video_bytes, validate_video
from workshops.models import Handover, RelayGroup

MAX_QUESTION_LENGTH = 1000
MAX_ANSWER_LENGTH = 2000


def member_label(user) -> str:
    name = user.get_full_name() or user.get_username()
    if getattr(user, "role", "") == Role.FACILITATOR:
        return _("%(name)s (facilitator)") % {"name": name}
    return name


def year_label(year) -> str:
    number = _("Year %(number)s") % {"number": year.number}
    return f"{number} – {year.title}" if year.title and year.title != number else number


class RelayGroupForm(StyledModelForm):
    class Meta:
        model = RelayGroup
        fields = ["name", "order", "year", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}
        help_texts = {
            "order": _("1 for the group that starts the relay, 2 for the group that takes over the baton, and so on."),
            "members": _("Typically four team managers. Only they (and the facilitators) edit the group's year."),
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["year"].queryset = programme.years.filter(number__lte=programme.number_of_years)
        self.fields["year"].label_from_instance = year_label
        self.fields["year"].empty_label = None
        self.fields["year"].error_messages["invalid_choice"] = _("Choose one of this programme's years.")
        members = self.fields["members"]
        # Team managers first, then the facilitators (who may join a group to help it along).
        members.queryset = (
            get_user_model()
            .objects.filter(
                memberships__programme=programme, memberships__role__in=[Role.TEAM_MANAGER, Role.FACILITATOR]
            )
            .annotate(role=F("memberships__role"))
            .order_by("-role", "first_name", "last_name", "username")
        )
        members.label_from_instance = member_label
        members.error_messages["invalid_choice"] = _("Choose team managers or facilitators of this programme.")
        members.error_messages["required"] = _("Choose the members of this group, typically four team managers.")
        self.fields["order"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        self.fields["order"].error_messages["min_value"] = _("The order starts at 1 for the first group.")

    def clean_order(self) -> int:
        order = self.cleaned_data["order"]
        if order < 1:
            raise forms.ValidationError(_("The order starts at 1 for the first group."))
        taken = RelayGroup.objects.filter(programme=self.programme, order=order).exclude(pk=self.instance.pk).first()
        if taken:
            raise forms.ValidationError(
                _("“%(name)s” already runs as group %(order)d. Choose another place in the relay."),
                params={"name": taken.name, "order": order},
            )
        return order


def _fingerprint(*values: str) -> str:
    """A short digest of what a form was based on, to notice that someone saved in between."""
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:16]


class _SeenForm:
    """Carries a fingerprint of the saved values the form was shown with (the model has no
    version field), so a save over someone else's newer text is caught instead of lost."""

    def seen_matches(self, current: str) -> bool:
        return self.cleaned_data.get("seen", "") == current

    def take_current(self, current: str) -> None:
        """After a conflict: resubmitting this form deliberately replaces the newer text."""
        data = self.data.copy()
        data[self.add_prefix("seen")] = current
        self.data = data


LINK_MESSAGE = _("Paste a web link to the vlog, starting with https:// (or http://).")


class HandoverForm(_SeenForm, StyledModelForm):
    vlog_upload = forms.FileField(
        label=_("Upload the vlog"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "video/mp4,video/webm"}),
        error_messages={"invalid": _("Choose the video file again and upload it once more.")},
    )
    vlog_link = forms.URLField(
        label=_("…or paste a link to the vlog"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("For a video elsewhere, e.g. on the intranet or a video platform."),
        error_messages={
            "invalid": LINK_MESSAGE,
            "max_length": _("This link is longer than %(limit_value)d characters; use the video's share link."),
        },
    )
    remove_video = forms.BooleanField(label=_("Remove the uploaded video"), required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Handover
        fields = ["vlog_link", "question"]
        labels = {"question": _("Baton question for the next group")}
        help_texts = {"question": _("One concrete question that the next group answers at the start of its session.")}
        widgets = {"question": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_video_bytes()
        upload = self.fields["vlog_upload"]
        upload.help_text = _("MP4 (H.264) or WebM, at most %(limit)s.") % {"limit": filesizeformat(limit)}
        upload.widget.attrs["data-max-bytes"] = limit
        upload.widget.attrs["data-too-large"] = _(
            "This video is larger than %(limit)s. Upload a shorter clip or paste a link instead."
        ) % {"limit": filesizeformat(limit)}
        self.fields["vlog_link"].widget.attrs.update({"placeholder": "https://", "inputmode": "url"})
        question = self.fields["question"]
        question.validators.append(MaxLengthValidator(MAX_QUESTION_LENGTH))
        question.error_messages["max_length"] = _(
            "Keep the baton question under %(limit_value)d characters; it has %(show_value)d."
        )
        if self.instance.vlog_file:
            upload.label = _("Upload another video to replace it")
        else:
            del self.fields["remove_video"]
        if not self.is_bound:
            self.initial["seen"] = self.fingerprint(self.instance)
        style_fields(self)

    @staticmethod
    def fingerprint(handover: Handover) -> str:
        if handover.pk is None:
            return ""
        return _fingerprint(handover.vlog_file.name or "", handover.vlog_link, handover.question)

    def clean_vlog_upload(self):
        upload = self.cleaned_data.get("vlog_upload")
        if upload:
            try:
                self.video_kind = validate_video(upload)
            except VideoError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
        return upload

    def clean_vlog_link(self) -> str:
        link = self.cleaned_data.get("vlog_link", "")
        if link and urlsplit(link).scheme.lower() not in {"http", "https"}:
            raise forms.ValidationError(LINK_MESSAGE)
        return link

    def clean_question(self) -> str:
        return self.cleaned_data.get("question", "").strip()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("vlog_upload")
        link = cleaned.get("vlog_link")
        keeps_video = bool(self.instance.vlog_file) and not cleaned.get("remove_video") and not upload
        if upload and link:
            self.add_error(
                "vlog_link",
                _("Give either a video file or a link, not both. Clear the link to keep the upload."),
            )
        elif keeps_video and link:
            self.add_error(
                "vlog_link",
                _("This hand-over already has an uploaded video. Tick “Remove the uploaded video” to use a link."),
            )
        if not self.errors and not (upload or link or keeps_video or cleaned.get("question")):
            raise forms.ValidationError(
                _(
                    "This hand-over is empty. Upload the vlog or paste a link to it, and write the baton "
                    "question for the next group."
                ),
                code="empty",
            )
        return cleaned


class AnswerForm(_SeenForm, StyledModelForm):
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Handover
        fields = ["answer"]
        labels = {"answer": _("Answer")}
        widgets = {"answer": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answer = self.fields["answer"]
        answer.required = True
        answer.error_messages["required"] = _("Write the answer before you hand it in.")
        answer.validators.append(MaxLengthValidator(MAX_ANSWER_LENGTH))
        answer.error_messages["max_length"] = _(
            "Keep the answer under %(limit_value)d characters; it has %(show_value)d."
        )
        if not self.is_bound:
            self.initial["seen"] = self.fingerprint(self.instance)
        style_fields(self)

    @staticmethod
    def fingerprint(handover: Handover) -> str:
        return _fingerprint(handover.answer) if handover.answer else ""

    def clean_answer(self) -> str:
        answer = self.cleaned_data.get("answer", "").strip()
        if not answer:
            raise forms.ValidationError(_("Write the answer before you hand it in."))
        return answer
