"""The process as a sequence of sessions: agendas, live polls, the kickoff inventory,
ambition drafts, the relay with its hand-overs, brown-paper captures, the final session's
grades, and the impact quotes with their PQR reasonings."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programmes.models import TWEET_LENGTH, Activity, Programme, Year

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
    notes = models.TextField(_("notes"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="attended_sessions", verbose_name=_("attendees")
    )
    relay_group = models.ForeignKey(
        "RelayGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("relay group"),
        help_text=_("For a relay session: the group that designs its year in it."),
    )
    current_step = models.ForeignKey("AgendaStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    step_started_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("design session")
        verbose_name_plural = _("design sessions")
        ordering = ["programme", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("session_detail", args=[self.programme.slug, self.pk])


class AgendaStep(models.Model):
    """One timed step of a session's agenda, stepped through in session mode."""

    session = models.ForeignKey(DesignSession, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=15, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("agenda step")
        verbose_name_plural = _("agenda steps")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    NUMBER = "number", _("Number or scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    WORDS = "words", _("Open words (word cloud)")
    SPLIT = "split", _("100 points split across options")
    RANKING = "ranking", _("Ranking")


class QuestionState(models.TextChoices):
    DRAFT = "draft", _("Not opened yet")
    OPEN = "open", pgettext_lazy("question state", "Open")
    CLOSED = "closed", pgettext_lazy("question state", "Closed")


class Topic(models.TextChoices):
    """What a question measures, so its result can become a guardrail in one click."""

    NONE = "", _("Something else")
    STUDY_LOAD = "study_load", _("Hours per week (study load)")
    FACE_TO_FACE = "face_to_face_share", _("Share of face-to-face (%)")
    SYNC = "sync_share", _("Share of synchronous among online hours (%)")
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


# --- kickoff inventory and ambition drafts ----------------------------------------------


class Lane(models.TextChoices):
    ANCHORS = "anchors", _("Workplace anchors")
    CONCERNS = "concerns", _("Concerns")
    CHALLENGES = "challenges", _("Challenges")
    LOOKING_FORWARD = "looking_forward", _("Looking forward to")


class InventoryCard(models.Model):
    """A sticky note of the kickoff inventory, from a member or from a phone."""

    session = models.ForeignKey(DesignSession, on_delete=models.CASCADE, related_name="cards")
    lane = models.CharField(_("lane"), max_length=20, choices=Lane.choices)
    text = models.CharField(_("text"), max_length=200)
    cluster = models.CharField(_("cluster"), max_length=80, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    participant = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    activities = models.ManyToManyField(Activity, blank=True, related_name="cards", verbose_name=_("activities"))
    source_capture = models.ForeignKey(
        "Capture", on_delete=models.SET_NULL, null=True, blank=True, related_name="cards"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inventory card")
        verbose_name_plural = _("inventory cards")
        ordering = ["session", "lane", "cluster", "pk"]

    def __str__(self) -> str:
        return self.text


class CardVote(models.Model):
    """One dot on a card; a voter is a member ("u<id>") or a phone ("p<participant id>")."""

    card = models.ForeignKey(InventoryCard, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["card", "voter"], name="one_dot_per_card_per_voter")]

    def __str__(self) -> str:
        return f"{self.card} · {self.voter}"


class AmbitionDraft(models.Model):
    """A proposed ambition tweet; the chosen one becomes the programme's ambition."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="ambition_drafts")
    session = models.ForeignKey(
        DesignSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="ambition_drafts"
    )
    text = models.CharField(_("draft"), max_length=TWEET_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ambition draft")
        verbose_name_plural = _("ambition drafts")
        ordering = ["programme", "pk"]

    def __str__(self) -> str:
        return self.text


class AmbitionVote(models.Model):
    draft = models.ForeignKey(AmbitionDraft, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["draft", "voter"], name="one_vote_per_draft_per_voter")]

    def __str__(self) -> str:
        return f"{self.draft} · {self.voter}"


# --- relay ------------------------------------------------------------------------------


class RelayGroup(models.Model):
    """A group of (typically four) team managers that designs one year, in relay order."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="relay_groups")
    name = models.CharField(_("name"), max_length=200)
    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="relay_groups", verbose_name=_("year"))
    order = models.PositiveSmallIntegerField(_("order in the relay"), default=1)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="relay_groups", verbose_name=_("members"))

    class Meta:
        verbose_name = _("relay group")
        verbose_name_plural = _("relay groups")
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class VideoKind(models.TextChoices):
    MP4 = "mp4", "MP4"
    WEBM = "webm", "WebM"


def vlog_path(instance: Handover, filename: str) -> str:
    return f"vlogs/{instance.group.programme_id}/{instance.group_id}-{secrets.token_hex(8)}.{instance.vlog_kind}"


class Handover(models.Model):
    """The end of a group's relay session: its vlog and the baton question for the next
    group, and that group's answer at the start of its own session."""

    group = models.OneToOneField(RelayGroup, on_delete=models.CASCADE, related_name="handover")
    vlog_file = models.FileField(_("vlog video"), upload_to=vlog_path, blank=True)
    vlog_kind = models.CharField(max_length=10, choices=VideoKind.choices, blank=True)
    vlog_link = models.URLField(_("vlog link"), blank=True)
    question = models.TextField(_("baton question"), blank=True)
    question_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("answer of the next group"), blank=True)
    answer_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self) -> str:
        return f"{self.group}: {self.question[:40]}"


# --- brown-paper captures ---------------------------------------------------------------


def capture_path(instance: Capture, filename: str) -> str:
    return f"captures/{instance.programme_id}/{secrets.token_hex(12)}-{filename}"


class Capture(models.Model):
    """A photo of the brown paper: only a stripped display version and a thumbnail are kept."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="captures")
    session = models.ForeignKey(
        DesignSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="captures"
    )
    display = models.FileField(upload_to=capture_path)
    thumbnail = models.FileField(upload_to=capture_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    in_brochure = models.BooleanField(_("show in the brochure"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("brown-paper capture")
        verbose_name_plural = _("brown-paper captures")
        ordering = ["programme", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"


# --- final session ----------------------------------------------------------------------


class FinalGrade(models.Model):
    """A team manager's grade for the programme against the ambition, with one concrete
    suggestion to raise it one point."""

    session = models.ForeignKey(DesignSession, on_delete=models.CASCADE, related_name="grades")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    grade = models.PositiveSmallIntegerField(_("grade"), validators=[MinValueValidator(1), MaxValueValidator(10)])
    suggestion = models.TextField(_("suggestion to raise it one point"))
    adopted = models.BooleanField(_("adopted"), default=False)
    change_note = models.TextField(_("the change it led to"), blank=True)
    change_activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("activity")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["session", "-grade", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_grade_per_person")]

    def __str__(self) -> str:
        return f"{self.user}: {self.grade}"


# --- impact quotes and PQR --------------------------------------------------------------


class Speaker(models.TextChoices):
    FAMILIES = "families", _("Families")
    PARTNERS = "partners", _("Partners in the neighbourhood")
    COLLEAGUES = "colleagues", _("Colleagues")
    DIRECTOR = "director", _("The director")
    OTHER = "other", _("Someone else")


class ImpactQuote(models.Model):
    """What others will say when the programme works."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="quotes")
    session = models.ForeignKey(DesignSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes")
    speaker = models.CharField(_("who says it"), max_length=20, choices=Speaker.choices)
    speaker_detail = models.CharField(_("who exactly"), max_length=120, blank=True)
    text = models.TextField(_("quote"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("impact quote")
        verbose_name_plural = _("impact quotes")
        ordering = ["programme", "speaker", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Reasoning(models.Model):
    """A PQR reasoning: do P, by means of Q, in order to contribute to R."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reasonings")
    p = models.TextField(_("do (P)"))
    q = models.TextField(_("by means of (Q)"))
    r = models.TextField(_("in order to contribute to (R)"))
    quotes = models.ManyToManyField(ImpactQuote, blank=True, related_name="reasonings", verbose_name=_("quotes"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("PQR reasoning")
        verbose_name_plural = _("PQR reasonings")
        ordering = ["programme", "pk"]

    def __str__(self) -> str:
        return self.p[:60]
