"""The year design: organisations, programmes, years, activities and who may do what."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MAX_HOURS_PER_OCCURRENCE = Decimal("40")
MAX_OCCURRENCES = 200
TWEET_LENGTH = 280


class LearningType(models.TextChoices):
    """The six ABC learning types (Young & Perović)."""

    ACQUISITION = "acquisition", _("Acquisition")
    INVESTIGATION = "investigation", _("Investigation")
    PRACTICE = "practice", _("Practice")
    DISCUSSION = "discussion", _("Discussion")
    COLLABORATION = "collaboration", _("Collaboration")
    PRODUCTION = "production", _("Production")


class Modality(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    ONLINE_SYNC = "online_sync", _("Online synchronous")
    ONLINE_ASYNC = "online_async", _("Online asynchronous")


class WithWhom(models.TextChoices):
    PEERS = "peers", _("Peers")
    OWN_TEAM = "own_team", _("Own team")
    PARTNERS = "partners", _("Neighbourhood partners")
    DIRECTOR_POLICY = "director_policy", _("Director & policy")
    EXTERNAL_EXPERTS = "external_experts", _("External experts")


class Stage(models.TextChoices):
    """The process stages a programme moves through, in order."""

    FRAMING = "framing", _("Framing")
    KICKOFF = "kickoff", _("Kickoff")
    RELAY = "relay", _("Relay design")
    FINAL = "final", _("Final session")
    RUNNING = "running", _("Running and steering")


class VersionConflict(Exception):
    """Raised when a save is based on a version that is no longer current."""


class Versioned(models.Model):
    """Optimistic concurrency: every save bumps `version`; a save based on an old
    version is refused instead of silently overwriting someone else's work."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_if_current(self, expected_version: int, fields: list[str]) -> None:
        """Write `fields` only if the stored version still equals `expected_version`.

        Side effects: one UPDATE; bumps self.version. Raises VersionConflict otherwise.
        """
        values = {name: getattr(self, name) for name in fields}
        updated = (
            type(self).objects.filter(pk=self.pk, version=expected_version).update(version=F("version") + 1, **values)
        )
        if not updated:
            raise VersionConflict
        self.version = expected_version + 1


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    number_of_years = models.PositiveSmallIntegerField(
        _("number of years"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    learning_weeks_per_year = models.PositiveSmallIntegerField(
        _("learning weeks per year"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("The weeks over which a year's hours are spread to compute the study load."),
    )
    ambition = models.CharField(_("ambition (tweet)"), max_length=TWEET_LENGTH, blank=True)
    framing = models.TextField(
        _("framing"),
        blank=True,
        help_text=_("The director's mandate, constraints and questions to the group."),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.FRAMING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme_overview", args=[self.slug])

    def ensure_years(self) -> None:
        """Create the missing Year rows 1..number_of_years. Side effect: inserts rows."""
        existing = set(self.years.values_list("number", flat=True))
        Year.objects.bulk_create(
            Year(programme=self, number=n, title=_("Year %(number)s") % {"number": n})
            for n in range(1, self.number_of_years + 1)
            if n not in existing
        )


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    TEAM_MANAGER = "team_manager", _("Team manager")
    DIRECTOR = "director", _("Director")
    CO_THINKER = "co_thinker", _("Co-thinker")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("programme")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "programme"], name="one_membership_per_programme")]

    def __str__(self) -> str:
        return f"{self.user} – {self.programme} ({self.get_role_display()})"


class Year(Versioned):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="years")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    signature = models.CharField(
        _("signature"),
        max_length=300,
        blank=True,
        help_text=_("What makes this year recognisable, in one line."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("year")
        verbose_name_plural = _("years")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="unique_year_number")]

    def __str__(self) -> str:
        return f"{self.programme} – {self.title or self.number}"

    def get_absolute_url(self) -> str:
        return reverse("year_designer", args=[self.programme.slug, self.number])


class WorkplaceAnchor(models.Model):
    """A place in daily work where learning can be anchored (from the kickoff inventory)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="anchors")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("workplace anchor")
        verbose_name_plural = _("workplace anchors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


HOURS_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS_PER_OCCURRENCE)]


class Activity(Versioned):
    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    learning_type = models.CharField(_("learning type"), max_length=20, choices=LearningType.choices)
    modality = models.CharField(_("modality"), max_length=20, choices=Modality.choices)
    with_whom = models.JSONField(_("with whom"), default=list, blank=True)
    contact_hours = models.DecimalField(
        _("contact hours"), max_digits=5, decimal_places=2, default=Decimal("0"), validators=HOURS_VALIDATORS
    )
    prep_hours = models.DecimalField(
        _("preparation & follow-up hours"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=HOURS_VALIDATORS,
    )
    extra_hours = models.DecimalField(
        _("extra hours for leaving routine"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=HOURS_VALIDATORS,
    )
    occurrences = models.PositiveSmallIntegerField(
        _("occurrences"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_OCCURRENCES)]
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    anchor = models.ForeignKey(
        WorkplaceAnchor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("workplace anchor"),
    )
    triangle_client = models.CharField(_("client"), max_length=200, blank=True)
    triangle_driver = models.CharField(_("driver"), max_length=200, blank=True)
    triangle_content_supporter = models.CharField(_("content supporter"), max_length=200, blank=True)
    source_capture = models.ForeignKey(
        "workshops.Capture",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("from brown-paper photo"),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["year", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def hours_per_occurrence(self) -> Decimal:
        return self.contact_hours + self.prep_hours + self.extra_hours

    @property
    def total_hours(self) -> Decimal:
        return self.hours_per_occurrence * self.occurrences

    @property
    def has_triangle(self) -> bool:
        return bool(self.triangle_client or self.triangle_driver or self.triangle_content_supporter)

    def with_whom_labels(self) -> list[str]:
        labels = dict(WithWhom.choices)
        return [str(labels[key]) for key in self.with_whom if key in labels]

    def as_load(self):
        """The plain-data view the domain computations work on."""
        from programmes.domain import ActivityLoad

        return ActivityLoad(
            contact_hours=float(self.contact_hours),
            prep_hours=float(self.prep_hours),
            extra_hours=float(self.extra_hours),
            occurrences=self.occurrences,
            learning_type=self.learning_type,
            modality=self.modality,
            with_whom=tuple(self.with_whom or ()),
            title=self.title,
        )
