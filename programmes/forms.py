from __future__ import annotations

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from programmes.models import (
    MAX_HOURS_PER_OCCURRENCE,
    TWEET_LENGTH,
    Activity,
    Programme,
    WithWhom,
    WorkplaceAnchor,
    Year,
)


def style_fields(form: forms.BaseForm, errors=None) -> None:
    """Give every widget its Bootstrap class, and mark the fields named in `errors` invalid
    for screen readers. Never reads `form.errors` (that would validate the form early)."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        classes = set(widget.attrs.get("class", "").split()) | {css}
        if errors and name in errors:
            classes.add("is-invalid")
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form[name].auto_id}_error"
        widget.attrs["class"] = " ".join(sorted(classes))


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        style_fields(self, self._errors)


class VersionedForm(StyledModelForm):
    """A model form that carries the version it was based on, to detect stale saves."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else 1

    def based_on_version(self) -> int:
        return self.cleaned_data["version"]

    def take_current_version(self, version: int) -> None:
        """After a conflict: resubmitting this form deliberately overwrites `version`."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data


class AmbitionForm(StyledModelForm):
    class Meta:
        model = Programme
        fields = ["ambition"]
        widgets = {"ambition": forms.Textarea(attrs={"rows": 4, "data-counter": TWEET_LENGTH})}
        error_messages = {
            "ambition": {
                "max_length": _(
                    "A tweet has at most %(limit_value)d characters; this one has %(show_value)d. "
                    "Shorten it and save again."
                )
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength: a browser would silently cut a pasted text; the counter warns
        # and the server refuses with a message, keeping what was typed.
        self.fields["ambition"].widget.attrs.pop("maxlength", None)


class FramingForm(StyledModelForm):
    class Meta:
        model = Programme
        fields = ["framing"]
        widgets = {"framing": forms.Textarea(attrs={"rows": 8})}


class ProgrammeSettingsForm(StyledModelForm):
    class Meta:
        model = Programme
        fields = ["title", "number_of_years", "learning_weeks_per_year", "stage"]

    def clean_number_of_years(self):
        years = self.cleaned_data["number_of_years"]
        if self.instance.pk:
            in_use = self.instance.years.filter(number__gt=years, activities__isnull=False).order_by("-number").first()
            if in_use:
                raise forms.ValidationError(
                    _("Year %(number)s still has activities. Delete them first, or keep this number of years."),
                    params={"number": in_use.number},
                )
        return years


class YearForm(VersionedForm):
    class Meta:
        model = Year
        fields = ["title", "signature", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ActivityForm(VersionedForm):
    with_whom = forms.MultipleChoiceField(
        label=_("With whom"),
        choices=WithWhom.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the listed groups.")},
        help_text=_("Choose at least one."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "learning_type",
            "modality",
            "with_whom",
            "contact_hours",
            "prep_hours",
            "extra_hours",
            "occurrences",
            "anchor",
            "triangle_client",
            "triangle_driver",
            "triangle_content_supporter",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "learning_type": {"invalid_choice": _("Choose one of the six learning types.")},
            "modality": {"invalid_choice": _("Choose face-to-face, online synchronous or online asynchronous.")},
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anchor"].queryset = WorkplaceAnchor.objects.filter(programme=programme)
        self.fields["anchor"].error_messages["invalid_choice"] = _("Choose one of this programme's workplace anchors.")
        for name in ("contact_hours", "prep_hours", "extra_hours"):
            field = self.fields[name]
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 5})
            field.widget.is_localized = True
            field.error_messages["min_value"] = _("Hours cannot be negative; enter 0 or more.")
            field.error_messages["invalid"] = _("Enter a number of hours, e.g. 1.5.")
        self.fields["occurrences"].error_messages["min_value"] = _(
            "An activity happens at least once; delete it if it does not happen."
        )
        self.fields["occurrences"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        hours = [cleaned.get(name) for name in ("contact_hours", "prep_hours", "extra_hours")]
        if all(h is not None for h in hours):
            if sum(hours) > MAX_HOURS_PER_OCCURRENCE:
                raise forms.ValidationError(
                    _(
                        "Together the hours come to %(total)s hours per occurrence; one occurrence can take "
                        "at most %(max)s hours. Split it into more occurrences."
                    ),
                    params={"total": number_format(sum(hours)), "max": MAX_HOURS_PER_OCCURRENCE},
                )
            if sum(hours) == 0:
                raise forms.ValidationError(_("Enter the hours this activity takes (at least one of the three)."))
        return cleaned


class AnchorForm(StyledModelForm):
    class Meta:
        model = WorkplaceAnchor
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
