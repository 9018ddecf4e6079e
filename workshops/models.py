"""Design sessions and their live polls."""

from __future__ import annotations

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme

# No 0/O, 1/I/L: codes are read off a projector and typed on a phone.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class SessionKind(models.TextChoices):
    FRAMING = "framing", _("Framing talk")
    KICKOFF = "kickoff", _("Kickoff")
    RELAY = "relay", _("Relay session")
    REVIEW = "review", _("Review")
    FINAL = "final", _("Final session")


class DesignSession(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.KICKOFF)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    place = models.CharField(_("place or online link"), max_length=300, blank=True)
    join_code = models.CharField(_("join code"), max_length=12, unique=True, default=new_join_code, editable=False)
    joinable = models.BooleanField(
        _("participants can join"), default=True, help_text=_("Close joining when the session is over.")
    )
    current_question = models.ForeignKey(
        "PollQuestion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("design session")
        verbose_name_plural = _("design sessions")
        ordering = ["programme", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("poll_control", args=[self.programme.slug, self.pk])


class QuestionKind(models.TextChoices):
    NUMBER = "number", _("Number or scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    WORDS = "words", _("Open words (word cloud)")
    SPLIT = "split", _("100 points split across options")
    RANKING = "ranking", _("Ranking")


class QuestionState(models.TextChoices):
    DRAFT = "draft", _("Not opened yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Topic(models.TextChoices):
    """What a question measures, so its result can become a guardrail in one click."""

    NONE = "", _("Something else")
    STUDY_LOAD = "study_load", _("Hours per week (study load)")
    FACE_TO_FACE = "face_to_face_share", _("Share of face-to-face (%)")
    SYNC = "sync_share", _("Share of synchronous among online (%)")
    LEARNING_TYPES = "learning_types", _("Mix of learning types")
    WITH_WHOM = "with_whom", _("With whom to learn")


class PollQuestion(models.Model):
    session = models.ForeignKey(DesignSession, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    prompt = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"), default=list, blank=True)
    option_keys = models.JSONField(default=list, blank=True, editable=False)
    minimum = models.DecimalField(_("minimum"), max_digits=8, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(_("maximum"), max_digits=8, decimal_places=2, null=True, blank=True)
    step = models.DecimalField(_("step"), max_digits=8, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    topic = models.CharField(_("measures"), max_length=30, choices=Topic.choices, blank=True, default=Topic.NONE)
    state = models.CharField(_("state"), max_length=10, choices=QuestionState.choices, default=QuestionState.DRAFT)
    results_visible = models.BooleanField(_("results shown"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("poll question")
        verbose_name_plural = _("poll questions")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return self.prompt

    @property
    def is_open(self) -> bool:
        return self.state == QuestionState.OPEN

    def option_pairs(self) -> list[tuple[str, str]]:
        """(value stored in answers, label shown) per option; keys when a preset set them."""
        keys = self.option_keys if len(self.option_keys) == len(self.options) else self.options
        return list(zip(keys, self.options, strict=True))

    def answer_params(self) -> dict:
        return {
            "options": [key for key, _label in self.option_pairs()],
            "minimum": float(self.minimum) if self.minimum is not None else None,
            "maximum": float(self.maximum) if self.maximum is not None else None,
            "step": float(self.step) if self.step is not None else None,
        }


class Participant(models.Model):
    """An anonymous phone in a session, known only by the token in its signed cookie."""

    session = models.ForeignKey(DesignSession, on_delete=models.CASCADE, related_name="participants")
    token = models.CharField(max_length=64)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "token"], name="one_participant_per_token")]

    def __str__(self) -> str:
        return f"{self.session} – {self.token[:6]}…"


class PollAnswer(models.Model):
    question = models.ForeignKey(PollQuestion, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "participant"], name="one_answer_per_participant")]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
