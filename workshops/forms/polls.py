from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.forms import StyledModelForm, style_fields
from workshops.models import JOIN_CODE_LENGTH, DesignSession, PollQuestion, QuestionKind

MAX_OPTIONS = 12
MAX_OPTION_LENGTH = 100
MAX_NUMBER_STEPS = 1000
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SPLIT, QuestionKind.RANKING}


class SessionForm(StyledModelForm):
    class Meta:
        model = DesignSession
        fields = ["kind", "title", "starts_at", "place"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class QuestionForm(StyledModelForm):
    options_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option per line (for choice, 100-point and ranking questions)."),
    )

    class Meta:
        model = PollQuestion
        fields = ["kind", "prompt", "minimum", "maximum", "step", "unit", "topic"]
        help_texts = {
            "minimum": _("For number questions."),
            "maximum": _("For number questions."),
            "step": _("For number questions, e.g. 0.5 or 1."),
            "unit": _("For number questions, e.g. “hours a week”."),
            "topic": _("Lets you adopt the result as a guardrail with one click."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = QuestionKind.choices
        if self.instance.pk and not self.is_bound:
            self.initial["options_text"] = "\n".join(self.instance.options)
        for name in ("minimum", "maximum", "step"):
            field = self.fields[name]
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            field.widget.is_localized = True
        style_fields(self)

    def clean_options_text(self) -> list[str]:
        options = [line.strip() for line in self.cleaned_data["options_text"].splitlines() if line.strip()]
        if len(options) > MAX_OPTIONS:
            raise forms.ValidationError(_("Use at most %(max)d options."), params={"max": MAX_OPTIONS})
        if any(len(option) > MAX_OPTION_LENGTH for option in options):
            raise forms.ValidationError(
                _("Keep each option under %(max)d characters."), params={"max": MAX_OPTION_LENGTH}
            )
        if len({option.casefold() for option in options}) != len(options):
            raise forms.ValidationError(_("Each option may appear only once."))
        return options

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        options = cleaned.get("options_text") or []
        if kind in CHOICE_KINDS and "options_text" not in self.errors and len(options) < 2:
            self.add_error("options_text", _("Give at least two options, one per line."))
        if kind == QuestionKind.NUMBER:
            low, high, step = cleaned.get("minimum"), cleaned.get("maximum"), cleaned.get("step")
            if low is None or high is None or step is None:
                for name, value in (("minimum", low), ("maximum", high), ("step", step)):
                    if value is None and name not in self.errors:
                        self.add_error(name, _("A number question needs a minimum, a maximum and a step."))
            elif high <= low:
                self.add_error("maximum", _("The maximum must be larger than the minimum."))
            elif step <= 0:
                self.add_error("step", _("The step must be larger than 0, e.g. 0.5 or 1."))
            elif (high - low) / step > MAX_NUMBER_STEPS:
                self.add_error("step", _("Use a larger step: at most 1000 steps from minimum to maximum."))
        return cleaned

    def save(self, commit=True):
        question = super().save(commit=False)
        options = self.cleaned_data.get("options_text") or []
        if question.kind in CHOICE_KINDS:
            if options != question.options:
                question.option_keys = []
            question.options = options
        else:
            question.options, question.option_keys = [], []
        if question.kind != QuestionKind.NUMBER:
            question.minimum = question.maximum = question.step = None
        if commit:
            question.save()
        return question


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "form-control form-control-lg join-code-input",
                "inputmode": "text",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).upper().replace("-", "")
        if len(code) != JOIN_CODE_LENGTH:
            raise forms.ValidationError(
                _("A code has %(length)d letters and digits, as shown on the screen."),
                params={"length": JOIN_CODE_LENGTH},
            )
        return code
