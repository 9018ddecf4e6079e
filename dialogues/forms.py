from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues import domain
from dialogues.models import Answer, Dialogue, Proposal, Question, ReactionKind
from guardrails.models import Guardrail
from programmes.forms import StyledModelForm, VersionedForm, style_fields
from programmes.models import Activity, Membership, Programme, Role, Year

MAX_QUESTION_LENGTH = 1000
MAX_OUTCOME_LENGTH = 8000
INVITABLE_ROLES = (Role.CO_THINKER, Role.DIRECTOR, Role.TEAM_MANAGER)

CLOSED_MESSAGE = _(
    "This dialogue is closed, so nothing was saved. Your text is still here: copy it if you want to keep it."
)
REACTION_MESSAGES = {
    domain.UNKNOWN_KIND: _("Choose agree, abstain, disagree or block."),
    domain.REASON_MISSING: _(
        "Give a reason when you disagree or block: say what would make the proposal work for you."
    ),
    domain.REASON_TOO_LONG: _("Keep your reason under %(max)d characters; this one has %(length)d."),
}


class StyledForm(forms.Form):
    """A plain form in our look (see programmes.forms.StyledModelForm)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        style_fields(self, self._errors)


def _person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class InviteesField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, roles: dict[int, str] | None = None, **kwargs):
        self.roles = roles or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        role = self.roles.get(obj.pk)
        return f"{_person_label(obj)} ({role})" if role else _person_label(obj)


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("Year %(number)s · %(title)s") % {"number": obj.year.number, "title": obj.title}


class ActivitiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class YearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        label = _("Year %(number)s") % {"number": obj.number}
        return f"{label} · {obj.title}" if obj.title and obj.title != label else label


def programme_activities(programme: Programme):
    return (
        Activity.objects.filter(year__programme=programme, year__number__lte=programme.number_of_years)
        .select_related("year")
        .order_by("year__number", "order", "pk")
    )


class DialogueForm(VersionedForm):
    invitees = InviteesField(
        label=_("Invite"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Team managers, the director and co-thinkers of this programme. Co-thinkers see only the dialogues "
            "they are invited to. Everyone you add gets an e-mail."
        ),
        error_messages={"invalid_choice": _("Choose people from this programme.")},
    )

    class Meta:
        model = Dialogue
        fields = ["title", "context", "guardrail", "year", "activity", "closes_on"]
        widgets = {
            "context": forms.Textarea(attrs={"rows": 4}),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "guardrail": _("Optional: its current status and numbers are shown with the dialogue."),
            "year": _("Optional: its current study load is shown with the dialogue."),
            "activity": _("Optional: its hours are shown with the dialogue."),
        }
        error_messages = {
            "title": {"required": _("Give the dialogue a title, e.g. the question it is about.")},
            "closes_on": {
                "required": _("Choose a closing date: until when can people answer?"),
                "invalid": _("Enter a date, e.g. 2026-03-14."),
            },
        }
        field_classes = {"activity": ActivityChoiceField, "year": YearChoiceField}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["guardrail"].queryset = Guardrail.objects.filter(programme=programme)
        self.fields["year"].queryset = Year.objects.filter(programme=programme, number__lte=programme.number_of_years)
        self.fields["activity"].queryset = programme_activities(programme)
        for name in ("guardrail", "year", "activity"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose one from this programme.")
        members = Membership.objects.filter(programme=programme, role__in=INVITABLE_ROLES).select_related("user")
        members = sorted(members, key=lambda m: (INVITABLE_ROLES.index(m.role), _person_label(m.user).casefold()))
        labels = dict(Role.choices)
        invitees = self.fields["invitees"]
        invitees.roles = {m.user_id: str(labels[m.role]) for m in members}
        invitees.queryset = get_user_model().objects.filter(pk__in=[m.user_id for m in members])
        # Choices in role order, then by name (a queryset cannot sort on the membership's role).
        invitees.choices = [(m.user_id, invitees.label_from_instance(m.user)) for m in members]
        if self.instance.pk and not self.is_bound:
            self.initial["invitees"] = list(self.instance.invitations.values_list("user_id", flat=True))
        style_fields(self)

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        changed = not self.instance.pk or closes_on != self.instance.closes_on
        if changed and closes_on < timezone.localdate():
            raise forms.ValidationError(_("Choose a closing date from today on: people need time to answer."))
        return closes_on


class QuestionForm(StyledModelForm):
    class Meta:
        model = Question
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("Question")}
        error_messages = {"text": {"required": _("Write the question.")}}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) > MAX_QUESTION_LENGTH:
            raise forms.ValidationError(
                _("Keep a question under %(max)d characters; this one has %(length)d."),
                params={"max": MAX_QUESTION_LENGTH, "length": len(text)},
            )
        return text


class ProposalForm(StyledModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "reasoning"]
        widgets = {"reasoning": forms.Textarea(attrs={"rows": 4})}
        labels = {"title": _("Proposal")}
        help_texts = {"reasoning": _("Why you propose this: the numbers, the trade-off, what it asks of people.")}
        error_messages = {
            "title": {"required": _("Give the proposal a short title.")},
            "reasoning": {"required": _("Give the reasoning behind this proposal.")},
        }


class _OrderedFormSet(BaseInlineFormSet):
    """Keeps at least one item; an item people already responded to cannot be deleted."""

    responded_message = ""
    too_few_message = ""
    numbered_field = ""
    number_label = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {**self.error_messages, "too_few_forms": self.too_few_message}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields[self.numbered_field].label = self.number_label % {"number": i + 1}
        return form

    def responses(self, instance) -> int:
        return getattr(instance, "response_count", 0)

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.instance.pk and self._should_delete_form(form) and self.responses(form.instance):
                raise forms.ValidationError(self.responded_message)

    def save_in_order(self, dialogue: Dialogue) -> None:
        """Save the changed items; new ones go after the existing ones. Side effect: writes rows."""
        items = self.save(commit=False)
        for item in self.deleted_objects:
            item.delete()
        last = max((form.instance.order for form in self.forms if form.instance.pk), default=0)
        for item in items:
            if not item.pk:
                last += 1
                item.order = last
            item.dialogue = dialogue
            item.save()


class QuestionFormSet(_OrderedFormSet):
    numbered_field = "text"
    number_label = _("Question %(number)s")
    responded_message = _("A question that has answers cannot be deleted; change its wording instead.")
    too_few_message = _("Ask at least one question.")


class ProposalFormSet(_OrderedFormSet):
    numbered_field = "title"
    number_label = _("Proposal %(number)s")
    responded_message = _("A proposal people reacted to cannot be deleted; change its wording instead.")
    too_few_message = _("Make at least one proposal, with its reasoning.")


def question_formset(data, dialogue: Dialogue, extra: int):
    formset_class = inlineformset_factory(
        Dialogue,
        Question,
        form=QuestionForm,
        formset=QuestionFormSet,
        extra=extra,
        min_num=1,
        validate_min=True,
        can_delete=True,
    )
    queryset = Question.objects.filter(dialogue=dialogue) if dialogue.pk else Question.objects.none()
    queryset = queryset.annotate(response_count=Count("answers"))
    return formset_class(data, instance=dialogue, prefix="questions", queryset=queryset)


def proposal_formset(data, dialogue: Dialogue, extra: int):
    formset_class = inlineformset_factory(
        Dialogue,
        Proposal,
        form=ProposalForm,
        formset=ProposalFormSet,
        extra=extra,
        min_num=1,
        validate_min=True,
        can_delete=True,
    )
    queryset = Proposal.objects.filter(dialogue=dialogue) if dialogue.pk else Proposal.objects.none()
    queryset = queryset.annotate(response_count=Count("reactions"))
    return formset_class(data, instance=dialogue, prefix="proposals", queryset=queryset)


class _ParticipationForm(StyledForm):
    """Answers and reactions: only while the dialogue is open."""

    def __init__(self, *args, dialogue: Dialogue, **kwargs):
        self.dialogue = dialogue
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not self.dialogue.is_open():
            raise forms.ValidationError(CLOSED_MESSAGE, code="closed")
        return cleaned


class AnswerForm(_ParticipationForm):
    question = forms.ModelChoiceField(
        queryset=Question.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the question you answer."),
            "invalid_choice": _("This question is not part of this dialogue; reload the page and answer again."),
        },
    )
    parent = forms.ModelChoiceField(
        queryset=Answer.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("The answer you reply to no longer exists; reload the page.")},
    )
    text = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your answer first; an empty answer is not saved.")},
    )

    def __init__(self, *args, dialogue: Dialogue, **kwargs):
        super().__init__(*args, dialogue=dialogue, **kwargs)
        self.fields["question"].queryset = Question.objects.filter(dialogue=dialogue)
        self.fields["parent"].queryset = Answer.objects.filter(question__dialogue=dialogue)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) > domain.MAX_ANSWER_LENGTH:
            raise forms.ValidationError(
                _("Keep your answer under %(max)d characters; this one has %(length)d. Shorten it and send again."),
                params={"max": domain.MAX_ANSWER_LENGTH, "length": len(text)},
            )
        return text

    def clean(self):
        cleaned = super().clean()
        parent, question = cleaned.get("parent"), cleaned.get("question")
        if parent is not None and question is not None and parent.question_id != question.pk:
            raise forms.ValidationError(_("This reply belongs to another question; reload the page."))
        return cleaned

    def save(self, author, language: str) -> Answer:
        parent = self.cleaned_data["parent"]
        parent_id = domain.reply_parent(parent.pk, parent.parent_id) if parent else None
        return Answer.objects.create(
            question=self.cleaned_data["question"],
            parent_id=parent_id,
            author=author,
            text=self.cleaned_data["text"],
            language=language,
        )


class ReactionForm(_ParticipationForm):
    proposal = forms.ModelChoiceField(
        queryset=Proposal.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the proposal you react to."),
            "invalid_choice": _("This proposal is not part of this dialogue; reload the page and react again."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Your reaction"),
        choices=ReactionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose agree, abstain, disagree or block."),
            "invalid_choice": REACTION_MESSAGES[domain.UNKNOWN_KIND],
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you disagree or block."),
    )

    def __init__(self, *args, dialogue: Dialogue, **kwargs):
        super().__init__(*args, dialogue=dialogue, **kwargs)
        self.fields["proposal"].queryset = Proposal.objects.filter(dialogue=dialogue)
        # Big toggle buttons instead of small radios: easier to hit on a phone.
        self.fields["kind"].widget.attrs["class"] = "btn-check"

    def full_clean(self):
        super().full_clean()
        self.fields["kind"].widget.attrs["class"] = "btn-check"

    def clean(self):
        cleaned = super().clean()
        kind, reason = cleaned.get("kind"), cleaned.get("reason", "")
        if kind is None:
            return cleaned
        problem = domain.reaction_problem(kind, reason)
        if problem == domain.REASON_TOO_LONG:
            self.add_error(
                "reason",
                forms.ValidationError(
                    REACTION_MESSAGES[problem], params={"max": domain.MAX_REASON_LENGTH, "length": len(reason.strip())}
                ),
            )
        elif problem is not None:
            self.add_error("reason" if problem == domain.REASON_MISSING else "kind", REACTION_MESSAGES[problem])
        return cleaned


class CloseForm(VersionedForm):
    """Close a dialogue with its outcome and the change it caused in the design."""

    class Meta:
        model = Dialogue
        fields = ["outcome", "outcome_guardrail", "outcome_change", "outcome_activities"]
        widgets = {
            "outcome": forms.Textarea(attrs={"rows": 6}),
            "outcome_activities": forms.CheckboxSelectMultiple,
        }
        field_classes = {"outcome_activities": ActivitiesField}
        help_texts = {
            "outcome": _("What the dialogue decided, and why. Everyone invited reads it here."),
            "outcome_guardrail": _(
                "If the outcome changed a guardrail: change it on the guardrails board, then link it."
            ),
            "outcome_change": _("E.g. “target from 3 to 3.5 h/week in year 2”. Shown with the guardrail."),
            "outcome_activities": _("The activities the outcome changed; their years show the dialogue."),
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.fields["outcome"].error_messages["required"] = _("Write the outcome: what did the dialogue decide?")
        self.fields["outcome_guardrail"].queryset = Guardrail.objects.filter(programme=programme)
        self.fields["outcome_activities"].queryset = programme_activities(programme)
        for name in ("outcome_guardrail", "outcome_activities"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose one from this programme.")
        self.fields["outcome_activities"].error_messages["invalid_pk_value"] = _("Choose one from this programme.")
        style_fields(self)

    def clean_outcome(self):
        outcome = self.cleaned_data["outcome"].strip()
        if len(outcome) > MAX_OUTCOME_LENGTH:
            raise forms.ValidationError(
                _("Keep the outcome under %(max)d characters; this one has %(length)d."),
                params={"max": MAX_OUTCOME_LENGTH, "length": len(outcome)},
            )
        return outcome

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome_guardrail") and not (cleaned.get("outcome_change") or "").strip():
            self.add_error(
                "outcome_change", _("Say what changed in the guardrail, e.g. “target from 3 to 3.5 h/week”.")
            )
        if cleaned.get("outcome_change") and not cleaned.get("outcome_guardrail"):
            self.add_error("outcome_guardrail", _("Choose the guardrail this change is about, or clear the note."))
        return cleaned
