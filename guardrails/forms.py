from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from guardrails.models import Comparator, Guardrail, Kind, Metric, SoftAssessment, Subgroup
from programmes.forms import StyledModelForm, VersionedForm, style_fields
from programmes.models import LearningType, WithWhom

KEY_CHOICES = [
    ("", "—"),
    (_("Learning type"), LearningType.choices),
    (_("With whom"), WithWhom.choices),
]


class GuardrailForm(VersionedForm):
    class Meta:
        model = Guardrail
        fields = ["name", "kind", "metric", "key", "comparator", "target", "target_high", "tolerance", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "key": forms.Select(choices=KEY_CHOICES)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("target", "target_high", "tolerance"):
            field = self.fields[name]
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"})
            field.widget.is_localized = True
        self.fields["tolerance"].required = False

    def clean_tolerance(self):
        tolerance = self.cleaned_data.get("tolerance")
        if tolerance is None:
            return 0
        if tolerance < 0:
            raise forms.ValidationError(_("The tolerance cannot be negative; enter 0 or more."))
        return tolerance

    def clean(self):
        cleaned = super().clean()
        metric, kind = cleaned.get("metric"), cleaned.get("kind")
        target, high = cleaned.get("target"), cleaned.get("target_high")
        comparator = cleaned.get("comparator")
        if metric == Metric.QUALITATIVE:
            if kind == Kind.HARD:
                self.add_error("kind", _("A qualitative guardrail cannot be computed; make it soft."))
            return cleaned
        if target is None and "target" not in self.errors:
            self.add_error("target", _("Enter the target this guardrail is checked against."))
        if metric == Metric.LEARNING_TYPE and cleaned.get("key") not in LearningType.values:
            self.add_error("key", _("Choose the learning type this share is about."))
        if metric == Metric.WITH_WHOM and cleaned.get("key") not in WithWhom.values:
            self.add_error("key", _("Choose the group this share is about."))
        if metric not in (Metric.LEARNING_TYPE, Metric.WITH_WHOM):
            cleaned["key"] = ""
        if comparator == Comparator.BETWEEN:
            if high is None and "target_high" not in self.errors:
                self.add_error("target_high", _("“Between” needs an upper target too."))
            elif target is not None and high is not None and high < target:
                self.add_error("target_high", _("The upper target must be at least the target."))
        else:
            cleaned["target_high"] = None
        if metric != Metric.STUDY_LOAD:
            for name in ("target", "target_high"):
                value = cleaned.get(name)
                if value is not None and not 0 <= value <= 100:
                    self.add_error(name, _("A share is a percentage from 0 to 100."))
        elif target is not None and target < 0:
            self.add_error("target", _("A study load cannot be negative."))
        return cleaned


class SubgroupForm(StyledModelForm):
    class Meta:
        model = Subgroup
        fields = ["name", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__programme=programme, memberships__role__in=["facilitator", "team_manager", "director"]
            )
            .order_by("first_name", "username")
        )
        self.fields["members"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.fields["members"].error_messages["invalid_choice"] = _("Choose members of this programme.")


class AssessmentForm(StyledModelForm):
    subgroup = forms.TypedChoiceField(
        label=_("Subgroup"), coerce=int, error_messages={"invalid_choice": _("Choose a subgroup you belong to.")}
    )

    class Meta:
        model = SoftAssessment
        fields = ["subgroup", "verdict", "recommendation"]
        widgets = {"recommendation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, subgroups, **kwargs):
        # Plain choices from a list fetched once: no query per form on the board.
        self.subgroups = {group.pk: group for group in subgroups}
        super().__init__(*args, **kwargs)
        self.fields["subgroup"].choices = [(group.pk, group.name) for group in subgroups]
        style_fields(self)

    def clean_subgroup(self) -> Subgroup:
        return self.subgroups[self.cleaned_data["subgroup"]]

    def clean_recommendation(self):
        text = self.cleaned_data["recommendation"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Write a concrete recommendation: what should change, and how?"))
        return text
