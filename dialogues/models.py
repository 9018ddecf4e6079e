"""Async dialogues with co-thinkers: explicit questions, reasoned proposals, answers,
reactions and an outcome that links the change it caused in the design."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues import domain
from guardrails.models import Guardrail
from programmes.models import Activity, Programme, Versioned, Year


class ReactionKind(models.TextChoices):
    AGREE = domain.AGREE, _("Agree")
    ABSTAIN = domain.ABSTAIN, _("Abstain")
    DISAGREE = domain.DISAGREE, _("Disagree")
    BLOCK = domain.BLOCK, _("Block")


class Dialogue(Versioned):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="dialogues", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(
        _("context"), blank=True, help_text=_("Why this dialogue: what happened, what the numbers say.")
    )
    guardrail = models.ForeignKey(
        Guardrail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogues",
        verbose_name=_("about the guardrail"),
    )
    year = models.ForeignKey(
        Year, on_delete=models.SET_NULL, null=True, blank=True, related_name="dialogues", verbose_name=_("about year")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogues",
        verbose_name=_("about the activity"),
    )
    closes_on = models.DateField(
        _("closing date"), help_text=_("People can answer and react until the end of this day.")
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Invitation",
        related_name="dialogues",
        verbose_name=_("invited"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_guardrail = models.ForeignKey(
        Guardrail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_outcomes",
        verbose_name=_("guardrail that changed"),
    )
    outcome_change = models.CharField(_("what changed in the guardrail"), max_length=300, blank=True)
    outcome_activities = models.ManyToManyField(
        Activity, blank=True, related_name="dialogue_outcomes", verbose_name=_("activities that changed")
    )

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dialogue_detail", args=[self.programme.slug, self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def is_open(self, today=None) -> bool:
        return domain.is_open(self.closes_on, self.is_closed, today or timezone.localdate())


class Question(models.Model):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["dialogue", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Proposal(models.Model):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("proposal"), max_length=200)
    reasoning = models.TextField(_("reasoning"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["dialogue", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_invitations")
    invited_at = models.DateTimeField(default=timezone.now)
    # The language the person last used in this dialogue: their reminder comes in it.
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["dialogue", "user"], name="one_invitation_per_person")]

    def __str__(self) -> str:
        return f"{self.user} – {self.dialogue}"


class Answer(models.Model):
    """An answer to a question, or (with a parent) a reply to an answer: one level deep."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("answer"))
    # The language the author wrote in: a reply notification reaches them in it.
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Reaction(models.Model):
    """One person's reaction to one proposal; reacting again replaces it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reactions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("reaction"), max_length=10, choices=ReactionKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["proposal", "updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "author"], name="one_reaction_per_person"),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(domain.REASON_REQUIRED)) | ~Q(reason=""),
                name="reason_for_disagree_and_block",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} – {self.proposal}: {self.kind}"


class NotificationKind(models.TextChoices):
    INVITE = "invite", _("Invitation")
    REPLY = "reply", _("Reply to you")
    REMINDER = "reminder", _("Closing reminder")


class Notification(models.Model):
    """An e-mail that went out. The unique constraint makes every kind go out once per
    person per dialogue, even with several app servers or a cron run twice."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "user", "kind"], name="one_notification_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user} ({self.dialogue})"
