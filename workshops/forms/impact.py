"""Forms of the impact quotes and the PQR reasonings built from them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.forms import StyledModelForm, style_fields
from programmes.models import Programme
from workshops.models import ImpactQuote, Reasoning, Speaker

QUOTE_LENGTH = 500
PQR_LENGTH = 600


class QuoteForm(StyledModelForm):
    class Meta:
        model = ImpactQuote
        fields = ["speaker", "speaker_detail", "text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "speaker_detail": _("For example: a mother in Overvecht, the head of a primary school."),
            "text": _("In their own words, as you would hear it when the programme works."),
        }
        error_messages = {
            "speaker": {
                "required": _("Choose who says it."),
                "invalid_choice": _("Choose one of the listed speakers."),
            },
            "speaker_detail": {
                "max_length": _(
                    "Keep “who exactly” to %(limit_value)d characters; this has %(show_value)d. Shorten it."
                ),
            },
            "text": {"required": _("Write what they will say.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].choices = [("", _("Choose who says it")), *Speaker.choices]
        self.fields["speaker_detail"].widget.attrs.pop("maxlength", None)
        self.fields["text"].label = _("What they will say")
        style_fields(self)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip().strip("“”\"'„").strip()
        if not text:
            raise forms.ValidationError(_("Write what they will say."))
        if len(text) > QUOTE_LENGTH:
            raise forms.ValidationError(
                _("A quote has at most %(limit)d characters; this one has %(length)d. Make it shorter and sharper."),
                params={"limit": QUOTE_LENGTH, "length": len(text)},
            )
        return text


class QuoteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ImpactQuote) -> str:
        who = obj.speaker_detail or obj.get_speaker_display()
        return f"“{obj.text}” — {who}"


PQR_REQUIRED = {
    "p": _("Write what to do (P), for example “learn in fixed intervision trios”."),
    "q": _("Write by means of what (Q), for example “a monthly case from our own practice”."),
    "r": _("Write what it contributes to (R), for example “families who get help sooner”."),
}


class ReasoningForm(StyledModelForm):
    quotes = QuoteChoiceField(
        label=_("Built from these quotes"),
        queryset=ImpactQuote.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose quotes of this programme only."),
            "invalid_pk_value": _("Choose quotes of this programme only."),
        },
    )

    class Meta:
        model = Reasoning
        fields = ["p", "q", "r", "quotes"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("p", "q", "r")}
        error_messages = {name: {"required": message} for name, message in PQR_REQUIRED.items()}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quotes"].queryset = ImpactQuote.objects.filter(programme=programme).order_by("speaker", "pk")
        style_fields(self)

    def _clean_part(self, name: str) -> str:
        text = " ".join(self.cleaned_data[name].split())
        if len(text) > PQR_LENGTH:
            raise forms.ValidationError(
                _("Keep each part to %(limit)d characters; this one has %(length)d. Make it shorter."),
                params={"limit": PQR_LENGTH, "length": len(text)},
            )
        return text

    def clean_p(self) -> str:
        return self._clean_part("p")

    def clean_q(self) -> str:
        return self._clean_part("q")

    def clean_r(self) -> str:
        return self._clean_part("r")

    def quote_groups(self) -> list[tuple[str, list]]:
        """The quote checkboxes grouped per speaker, in the order of `Speaker`:
        [(speaker label, [checkbox, …])]."""
        groups: dict[str, list] = {value: [] for value in Speaker.values}
        for checkbox in self["quotes"]:
            groups.setdefault(checkbox.data["value"].instance.speaker, []).append(checkbox)
        labels = dict(Speaker.choices)
        return [(str(labels.get(value, value)), items) for value, items in groups.items() if items]
