"""Forms of the sessions part: planning a session, its agenda steps, and the final
session's grades and their adoption."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from programmes.forms import StyledModelForm, style_fields
from programmes.models import Activity, Membership, Programme
from workshops.models import AgendaStep, DesignSession, FinalGrade, RelayGroup, SessionKind

GRADES = [(grade, str(grade)) for grade in range(1, 11)]
SUGGESTION_MIN_LENGTH = 10
SUGGESTION_MIN_WORDS = 3
SUGGESTION_MAX_LENGTH = 1000
# Answers that fill the field without saying what to change (compared case-insensitively,
# punctuation ignored).
VAGUE_SUGGESTIONS = {
    "geen idee",
    "weet ik niet",
    "weet niet",
    "niets",
    "niks",
    "nvt",
    "n v t",
    "geen suggestie",
    "geen",
    "alles is goed",
    "het is goed zo",
    "prima zo",
    "gewoon beter",
    "meer van hetzelfde",
    "no idea",
    "nothing",
    "none",
    "it is fine",
    "all good",
    "dont know",
    "i dont know",
}
MAX_STEP_MINUTES = 480


class SessionPlanForm(StyledModelForm):
    """Everything about a session except its agenda, which has its own forms."""

    class Meta:
        model = DesignSession
        fields = ["kind", "title", "starts_at", "place", "relay_group", "notes", "attendees"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 6}),
            "attendees": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "place": _("A room and address, or the link of the online meeting."),
            "notes": _("What was agreed, what to prepare, what to remember next time."),
        }
        error_messages = {
            "title": {"required": _("Give the session a title, e.g. “Relay session 1: year 1”.")},
            "starts_at": {"invalid": _("Enter a date and a time, e.g. 14-09-2026 13:30.")},
            "kind": {"invalid_choice": _("Choose one of the listed kinds of session.")},
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        group = self.fields["relay_group"]
        group.queryset = RelayGroup.objects.filter(programme=programme)
        group.empty_label = _("— no relay group —")
        group.error_messages["invalid_choice"] = _("Choose one of this programme's relay groups.")
        roles = dict(Membership.objects.filter(programme=programme).values_list("user_id", "role"))
        role_labels = dict(Membership._meta.get_field("role").choices)
        attendees = self.fields["attendees"]
        attendees.queryset = (
            get_user_model().objects.filter(memberships__programme=programme).order_by("first_name", "last_name", "pk")
        )
        attendees.label_from_instance = lambda user: (
            _("%(name)s (%(role)s)")
            % {
                "name": user.get_full_name() or user.get_username(),
                "role": role_labels.get(roles.get(user.pk), ""),
            }
        )
        attendees.error_messages["invalid_choice"] = _("Choose attendees from the members of this programme.")
        style_fields(self)

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("relay_group") and cleaned.get("kind") != SessionKind.RELAY:
            self.add_error(
                "relay_group",
                _("Only a relay session has a relay group. Choose the kind “Relay session”, or leave the group empty."),
            )
        return cleaned


class AgendaStepForm(StyledModelForm):
    class Meta:
        model = AgendaStep
        fields = ["title", "minutes", "description"]
        widgets = {
            "minutes": forms.NumberInput(attrs={"min": 1, "max": MAX_STEP_MINUTES, "inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"description": _("Shown under the title in session mode.")}
        error_messages = {
            "title": {"required": _("Give the step a title, e.g. “Welcome and framing”.")},
            "minutes": {
                "required": _("Enter how many minutes the step takes, e.g. 15."),
                "invalid": _("Enter the minutes as a whole number, e.g. 15."),
                "min_value": _("A step takes at least 1 minute."),
                "max_value": _("A step takes at most 480 minutes (8 hours); split a longer one into several steps."),
            },
        }

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


class GradeForm(StyledModelForm):
    """A team manager's grade against the ambition, with one concrete suggestion."""

    grade = forms.TypedChoiceField(
        label=_("Your grade for the programme against the ambition"),
        choices=GRADES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a grade from 1 to 10."),
            "invalid_choice": _("Choose a grade from 1 to 10."),
        },
    )

    class Meta:
        model = FinalGrade
        fields = ["grade", "suggestion"]
        labels = {"suggestion": _("One concrete suggestion to raise it one point")}
        help_texts = {
            "suggestion": _("What should change, and where? E.g. “Link the webinars in year 2 to the case meeting.”")
        }
        widgets = {"suggestion": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "suggestion": {"required": _("Write one concrete suggestion that would raise your grade one point.")}
        }

    def clean_suggestion(self) -> str:
        text = " ".join(self.cleaned_data["suggestion"].split())
        if len(text) > SUGGESTION_MAX_LENGTH:
            raise forms.ValidationError(
                _("Keep your suggestion to %(max)d characters; it has %(length)d now."),
                params={"max": SUGGESTION_MAX_LENGTH, "length": len(text)},
            )
        words = _words(text)
        if " ".join(words) in VAGUE_SUGGESTIONS:
            raise forms.ValidationError(
                _("Name one thing that should change in the programme, and where, so it can be adopted.")
            )
        if len(text) < SUGGESTION_MIN_LENGTH or len(words) < SUGGESTION_MIN_WORDS:
            raise forms.ValidationError(
                _(
                    "Make your suggestion concrete: say what should change and where, in at least "
                    "%(words)d words and %(length)d characters."
                ),
                params={"words": SUGGESTION_MIN_WORDS, "length": SUGGESTION_MIN_LENGTH},
            )
        return text


class GradeAdoptForm(StyledModelForm):
    """A facilitator marks a suggestion adopted and links the change it led to.

    The activity choices come from the caller (one query for all suggestions on a page)."""

    change_activity = forms.TypedChoiceField(
        label=_("Activity it changed (optional)"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of this programme's activities, or none.")},
    )

    class Meta:
        model = FinalGrade
        fields = ["adopted", "change_note"]
        labels = {"adopted": _("Adopted"), "change_note": _("The change it led to")}
        widgets = {"change_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, activities: Sequence[Activity], **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {activity.pk: activity for activity in activities}
        groups: dict[str, list[tuple[int, str]]] = {}
        for activity in activities:
            year = activity.year
            label = year.title or _("Year %(number)s") % {"number": year.number}
            groups.setdefault(str(label), []).append((activity.pk, activity.title))
        self.fields["change_activity"].choices = [("", _("— none —")), *groups.items()]
        if not self.is_bound:
            self.initial["change_activity"] = self.instance.change_activity_id
        style_fields(self)

    def clean_change_note(self) -> str:
        return self.cleaned_data["change_note"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("adopted") and not cleaned.get("change_note") and "change_note" not in self.errors:
            self.add_error(
                "change_note", _("Describe the change this suggestion led to, so everyone can see what was done.")
            )
        return cleaned

    def save(self, commit=True):
        grade = super().save(commit=False)
        activity_id = self.cleaned_data.get("change_activity")
        grade.change_activity = self.activities.get(activity_id) if activity_id else None
        if commit:
            grade.save()
        return grade
