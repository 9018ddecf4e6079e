"""Forms of the kickoff inventory (sticky notes) and of the ambition drafts."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.forms import StyledModelForm, style_fields
from programmes.models import TWEET_LENGTH, Activity, Programme
from workshops.models import AmbitionDraft, DesignSession, InventoryCard, Lane

CARD_LENGTH = InventoryCard._meta.get_field("text").max_length
CLUSTER_LENGTH = InventoryCard._meta.get_field("cluster").max_length


def normalise_text(text: str) -> str:
    return " ".join(text.split())


def canonical_cluster(typed: str, existing: Iterable[str]) -> str:
    """The cluster name to store: inner whitespace collapsed, and an existing cluster's
    spelling when the typed name differs from it only in case, so "werkdruk" joins
    "Werkdruk" instead of starting a second cluster."""
    name = normalise_text(typed)
    for other in existing:
        if other and other.casefold() == name.casefold():
            return other
    return name


def _no_maxlength(field: forms.Field) -> None:
    # No maxlength: a browser would silently cut a pasted text; the counter warns and the
    # server refuses with a message, keeping what was typed.
    field.widget.attrs.pop("maxlength", None)


CARD_ERRORS = {
    "text": {
        "required": _("Write something on the card first."),
        "max_length": _(
            "A card holds at most %(limit_value)d characters; this one has %(show_value)d. Shorten it and add it again."
        ),
    },
    "lane": {
        "required": _("Choose the lane the card belongs in."),
        "invalid_choice": _("Choose one of the four lanes."),
    },
}


class CardForm(StyledModelForm):
    """A new sticky note: the lane and the text. `lane_widget` is "hidden" for the per-lane
    forms of the board and "radio" on a phone."""

    class Meta:
        model = InventoryCard
        fields = ["lane", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "data-counter": CARD_LENGTH})}
        error_messages = CARD_ERRORS

    def __init__(self, *args, lane_widget: str = "select", **kwargs):
        super().__init__(*args, **kwargs)
        _no_maxlength(self.fields["text"])
        lane = self.fields["lane"]
        if lane_widget == "hidden":
            lane.widget = forms.HiddenInput()
        elif lane_widget == "radio":
            lane.widget = forms.RadioSelect()
        lane.choices = Lane.choices  # no empty "---------" choice: every card has a lane
        style_fields(self)

    def clean_text(self) -> str:
        return normalise_text(self.cleaned_data["text"])


class CardEditForm(StyledModelForm):
    """Everything about one card: text, lane, cluster and the activities it led to."""

    activities = forms.ModelMultipleChoiceField(
        label=_("Linked activities"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The activities of the design that answer this card."),
        error_messages={
            "invalid_choice": _("Choose activities of this programme only."),
            "invalid_pk_value": _("Choose activities of this programme only."),
        },
    )

    class Meta:
        model = InventoryCard
        fields = ["text", "lane", "cluster", "activities"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "data-counter": CARD_LENGTH})}
        help_texts = {
            "cluster": _("Cards with the same cluster name are shown together. Leave empty for no cluster."),
        }
        error_messages = {
            **CARD_ERRORS,
            "cluster": {
                "max_length": _(
                    "A cluster name has at most %(limit_value)d characters; this one has %(show_value)d. "
                    "Choose a shorter name."
                )
            },
        }

    def __init__(self, *args, programme: Programme, session: DesignSession, **kwargs):
        super().__init__(*args, **kwargs)
        _no_maxlength(self.fields["text"])
        self.fields["lane"].choices = Lane.choices
        self.clusters = sorted(
            set(session.cards.exclude(cluster="").values_list("cluster", flat=True)), key=str.casefold
        )
        self.fields["cluster"].widget.attrs.update({"list": "cluster-options", "autocomplete": "off"})
        self.fields["activities"].queryset = (
            Activity.objects.filter(year__programme=programme, year__number__lte=programme.number_of_years)
            .select_related("year")
            .order_by("year__number", "order", "pk")
        )
        style_fields(self)

    def clean_text(self) -> str:
        return normalise_text(self.cleaned_data["text"])

    def clean_cluster(self) -> str:
        return canonical_cluster(self.cleaned_data["cluster"], self.clusters)

    def activity_groups(self) -> list[tuple[object, list]]:
        """The activity checkboxes grouped per year, in year order: [(year, [checkbox, …])]."""
        groups: dict[object, list] = {}
        for checkbox in self["activities"]:
            groups.setdefault(checkbox.data["value"].instance.year, []).append(checkbox)
        return list(groups.items())


class AmbitionDraftForm(StyledModelForm):
    class Meta:
        model = AmbitionDraft
        fields = ["text"]
        labels = {"text": _("Your draft of the ambition")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "data-counter": TWEET_LENGTH})}
        error_messages = {
            "text": {
                "required": _("Write the ambition as a tweet first."),
                "max_length": _(
                    "A tweet has at most %(limit_value)d characters; this one has %(show_value)d. "
                    "Shorten it and propose it again."
                ),
            }
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        _no_maxlength(self.fields["text"])

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        for other in self.programme.ambition_drafts.values_list("text", flat=True):
            if normalise_text(other).casefold() == normalise_text(text).casefold():
                raise forms.ValidationError(_("This draft is already proposed. Vote for it instead."))
        return text
