"""Publishing and the staged review of brochure versions (the database side of domain.py)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from brochure import domain
from brochure.models import Review, State, Verdict, Version
from brochure.snapshot import take_snapshot
from programmes.models import Membership, Programme
from programmes.permissions import Can, can
from workshops.models import RelayGroup


def latest_version(programme: Programme) -> Version | None:
    return Version.objects.filter(programme=programme).order_by("-major", "-minor").first()


@transaction.atomic
def publish(programme: Programme, user=None, *, major: bool = False, note: str = "") -> Version:
    """Snapshot the programme as the next version (a draft), with the relay groups whose year
    changed as its reviewers. Raises domain.NothingChanged when the design equals the latest
    version's. Side effects: one Version row, its reviewer links, photo copies."""
    # Lock the programme row so two facilitators publishing at once get 1.1 and 1.2, not a clash.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    latest = latest_version(programme)
    snapshot = take_snapshot(programme)
    if latest is not None and domain.same_design(latest.snapshot, snapshot):
        raise domain.NothingChanged
    major_number, minor_number = domain.next_number((latest.major, latest.minor) if latest else None, major)
    try:
        with transaction.atomic():
            version = Version.objects.create(
                programme=programme,
                major=major_number,
                minor=minor_number,
                snapshot=snapshot,
                created_by=user if user is not None and user.is_authenticated else None,
                note=note,
            )
    except IntegrityError as exc:  # pragma: no cover - the row lock above makes this rare
        raise domain.NothingChanged from exc
    changes = domain.changelog(latest.snapshot if latest else None, snapshot)
    groups = RelayGroup.objects.filter(programme=programme).values_list("pk", "year__number")
    version.reviewer_groups.set(domain.default_reviewer_groups(groups, changes.changed_years))
    return version


def previous_version(version: Version) -> Version | None:
    return (
        Version.objects.filter(programme_id=version.programme_id)
        .exclude(pk=version.pk)
        .filter(major__lte=version.major)
        .exclude(major=version.major, minor__gt=version.minor)
        .order_by("-major", "-minor")
        .first()
    )


def is_reviewer(version: Version, user) -> bool:
    if not user.is_authenticated:
        return False
    return version.reviewer_groups.filter(members=user).exists()


def may_see(version: Version, membership: Membership | None, user) -> bool:
    return domain.may_see(
        version.state,
        can(membership, Can.MANAGE),
        version.state != State.RELEASED and is_reviewer(version, user),
        can(membership, Can.VIEW),
    )


def visible_versions(programme: Programme, membership: Membership | None, user) -> list[Version]:
    """The versions this member may see, newest first. Side effects: one query."""
    versions = Version.objects.filter(programme=programme)
    if not can(membership, Can.MANAGE):
        mine = Version.objects.filter(programme=programme, reviewer_groups__members=user).values("pk")
        versions = versions.filter(state=State.RELEASED) | versions.filter(pk__in=mine)
    return list(versions.distinct().order_by("-major", "-minor"))


def request_review(version: Version, group_ids) -> Version:
    """Set the reviewing relay groups and put the version in review. Notices go out after commit."""
    from brochure import notices

    with transaction.atomic():
        version.reviewer_groups.set(RelayGroup.objects.filter(programme=version.programme, pk__in=group_ids))
        version.state = State.IN_REVIEW
        version.review_requested_at = timezone.now()
        version.save(update_fields=["state", "review_requested_at"])
        transaction.on_commit(lambda: notices.review_requested(version.pk))
    return version


def release(version: Version) -> Version:
    """Release the version to every member who may view the programme. Notices after commit."""
    from brochure import notices

    with transaction.atomic():
        version.state = State.RELEASED
        version.released_at = timezone.now()
        version.save(update_fields=["state", "released_at"])
        transaction.on_commit(lambda: notices.released(version.pk))
    return version


def record_review(version: Version, user, section: str, verdict: str, comment: str) -> Review:
    """A reviewer's verdict on a section; a new verdict replaces their earlier one and reopens it."""
    review, _created = Review.objects.update_or_create(
        version=version,
        section=section,
        user=user,
        defaults={
            "verdict": verdict,
            "comment": comment,
            "resolved_at": None,
            "resolved_by": None,
            "reply": "",
            "resolved_in": None,
        },
    )
    return review


def open_disputes(version: Version):
    return version.reviews.filter(verdict=Verdict.DISPUTE, resolved_at__isnull=True).select_related("user")


def resolve(review: Review, user, reply: str, new_version: Version | None = None) -> Review:
    review.resolved_at = timezone.now()
    review.resolved_by = user
    review.reply = reply
    review.resolved_in = new_version
    review.save(update_fields=["resolved_at", "resolved_by", "reply", "resolved_in"])
    return review
