from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brochure.models import Verdict
from workshops.models import RelayGroup


class PublishForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of version"),
        choices=[
            ("minor", _("Minor (1.0 → 1.1): details changed")),
            ("major", _("Major (1.1 → 2.0): a new session's result")),
        ],
        initial="minor",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("What changed, in one line"), max_length=300, required=False)


class ReviewersForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        label=_("Relay groups that review this version first"),
        queryset=RelayGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={"required": _("Choose at least one relay group, or release the version to everyone.")},
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = RelayGroup.objects.filter(programme=programme).select_related("year")
        self.fields["groups"].label_from_instance = lambda g: f"{g.name} ({g.year.title or g.year.number})"


class ReviewForm(forms.Form):
    section = forms.CharField(max_length=40)
    verdict = forms.ChoiceField(choices=Verdict.choices)
    comment = forms.CharField(max_length=2000, required=False, strip=True)

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)

    def clean_section(self):
        section = self.cleaned_data["section"]
        if section not in self.sections:
            raise forms.ValidationError(_("This section is not part of this version."))
        return section

    def clean(self):
        data = super().clean()
        if data.get("verdict") == Verdict.DISPUTE and not data.get("comment"):
            self.add_error("comment", _("Say what is not right, so the facilitators can fix it."))
        return data


class ResolveForm(forms.Form):
    review = forms.IntegerField()
    reply = forms.CharField(max_length=2000, required=False, strip=True)
    new_version = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("reply") and not data.get("new_version"):
            raise forms.ValidationError(_("Write a reply or publish a new version to resolve the dispute."))
        return data
