"""Brochure versions: immutable snapshots of a programme, their review and their PDFs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RELEASED = "released", _("Released")


class SnapshotIsImmutable(Exception):
    """Raised when code tries to change a published snapshot or its number."""


class Version(models.Model):
    """One published brochure version. Its snapshot and number never change once saved;
    only its review state (and who reviews it) moves on."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="brochure_versions")
    major = models.PositiveIntegerField(_("major"))
    minor = models.PositiveIntegerField(_("minor"))
    snapshot = models.JSONField(editable=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    note = models.CharField(_("what changed, in one line"), max_length=300, blank=True)
    reviewer_groups = models.ManyToManyField(
        "workshops.RelayGroup", blank=True, related_name="brochure_reviews", verbose_name=_("reviewing relay groups")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    review_requested_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    IMMUTABLE_FIELDS = ("programme", "major", "minor", "snapshot")

    class Meta:
        verbose_name = _("brochure version")
        verbose_name_plural = _("brochure versions")
        ordering = ["programme", "-major", "-minor"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "major", "minor"], name="unique_brochure_number"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values(*self.IMMUTABLE_FIELDS).first()
            current = {
                "programme": self.programme_id,
                "major": self.major,
                "minor": self.minor,
                "snapshot": self.snapshot,
            }
            if stored is not None and stored != current:
                raise SnapshotIsImmutable(f"brochure version {self.pk} is published and cannot change")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("brochure_version", args=[self.programme.slug, self.pk])

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"


class Verdict(models.TextChoices):
    CONFIRM = "confirm", _("This is what we designed")
    DISPUTE = "dispute", _("This is not right")


class Review(models.Model):
    """A reviewer's verdict on one section of a version; a dispute stays open until a
    facilitator resolves it with a reply or a new version."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="reviews")
    section = models.CharField(_("section"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(_("reply"), blank=True)
    resolved_in = models.ForeignKey(
        Version,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolves",
        verbose_name=_("new version"),
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["version", "section", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "section", "user"], name="one_review_per_section_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.section} · {self.get_verdict_display()}"

    @property
    def is_open_dispute(self) -> bool:
        return self.verdict == Verdict.DISPUTE and self.resolved_at is None


class NoticeKind(models.TextChoices):
    REVIEW_REQUESTED = "review_requested", _("Review requested")
    RELEASED = "released", _("Version released")


class Notice(models.Model):
    """An in-app notice (and the e-mail that went with it): at most one per kind, person and version."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brochure_notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("brochure notice")
        verbose_name_plural = _("brochure notices")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["version", "user", "kind"], name="one_notice_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} · {self.version} · {self.kind}"


class RenderKind(models.TextChoices):
    BROCHURE = "brochure", _("Brochure (A4)")
    POSTER = "poster", _("Poster (A3)")


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def render_path(instance: Rendering, filename: str) -> str:
    return f"brochure/{instance.version.programme_id}/{filename}"


class Rendering(models.Model):
    """A version's PDF, rendered once per `key` (a hash of the templates and the snapshot)."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="renderings")
    kind = models.CharField(max_length=10, choices=RenderKind.choices, default=RenderKind.BROCHURE)
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    file = models.FileField(upload_to=render_path, blank=True)
    pages = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rendered PDF")
        verbose_name_plural = _("rendered PDFs")
        ordering = ["version", "kind", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["version", "kind", "key"], name="one_rendering_per_key")]

    def __str__(self) -> str:
        return f"{self.version} {self.kind} ({self.status})"
