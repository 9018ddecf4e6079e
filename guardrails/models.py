"""Guardrails (vangrails): the frame the group set itself, and who assessed the soft ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guardrails.domain import GuardrailSpec
from programmes.models import LearningType, Programme, Versioned, WithWhom


class Kind(models.TextChoices):
    HARD = "hard", _("Hard (computed)")
    SOFT = "soft", _("Soft (assessed by a subgroup)")


class Metric(models.TextChoices):
    STUDY_LOAD = "study_load", _("Study load (hours per week)")
    FACE_TO_FACE = "face_to_face_share", _("Share of face-to-face (%)")
    SYNC = "sync_share", _("Share of synchronous among online hours (%)")
    LEARNING_TYPE = "learning_type_share", _("Share of a learning type (%)")
    WITH_WHOM = "with_whom_share", _("Share of learning with a group (%)")
    QUALITATIVE = "qualitative", _("Qualitative (no number)")


class Comparator(models.TextChoices):
    LE = "le", _("at most (≤)")
    GE = "ge", _("at least (≥)")
    BETWEEN = "between", _("between")


class Guardrail(Versioned):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="guardrails")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HARD)
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices, default=Metric.STUDY_LOAD)
    key = models.CharField(
        _("learning type or group"),
        max_length=30,
        blank=True,
        help_text=_("Only for a share of a learning type or of a group."),
    )
    comparator = models.CharField(_("comparator"), max_length=10, choices=Comparator.choices, default=Comparator.LE)
    target = models.DecimalField(_("target"), max_digits=6, decimal_places=2, null=True, blank=True)
    target_high = models.DecimalField(
        _("upper target"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only for “between”."),
    )
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=6,
        decimal_places=2,
        default=0,
        help_text=_("How far outside the target still counts as “near” instead of “breached”."),
    )
    description = models.TextField(_("description"), blank=True)
    origin_question = models.ForeignKey(
        "workshops.PollQuestion", on_delete=models.SET_NULL, null=True, blank=True, related_name="guardrails"
    )
    origin = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("guardrail")
        verbose_name_plural = _("guardrails")
        ordering = ["programme", "kind", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_measurable(self) -> bool:
        return self.metric != Metric.QUALITATIVE and self.target is not None

    @property
    def key_label(self) -> str:
        return str(dict([*LearningType.choices, *WithWhom.choices]).get(self.key, ""))

    @property
    def is_percent(self) -> bool:
        return self.metric not in (Metric.STUDY_LOAD, Metric.QUALITATIVE)

    def as_spec(self) -> GuardrailSpec:
        return GuardrailSpec(
            name=self.name,
            metric=self.metric,
            comparator=self.comparator,
            target=float(self.target) if self.target is not None else 0.0,
            target_high=float(self.target_high) if self.target_high is not None else None,
            tolerance=float(self.tolerance or 0),
            key=self.key,
        )


class Subgroup(models.Model):
    """A named set of members that assesses soft guardrails."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="subgroups")
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="subgroups", verbose_name=_("members"))

    class Meta:
        verbose_name = _("subgroup")
        verbose_name_plural = _("subgroups")
        ordering = ["programme", "name"]

    def __str__(self) -> str:
        return self.name


class Verdict(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class SoftAssessment(models.Model):
    guardrail = models.ForeignKey(Guardrail, on_delete=models.CASCADE, related_name="assessments")
    subgroup = models.ForeignKey(Subgroup, on_delete=models.CASCADE, related_name="assessments")
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    recommendation = models.TextField(_("concrete recommendation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("soft-guardrail assessment")
        verbose_name_plural = _("soft-guardrail assessments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.guardrail} – {self.subgroup}: {self.get_verdict_display()}"
