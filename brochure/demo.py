"""Demo brochure versions 1.0, 1.1, 2.0 (released) and 3.0 (in review, with a dispute).

The older versions are snapshots of the design with small, real differences: the design is
changed, snapshotted and put back exactly as it was, so the changelogs read like the
relay's history. No PDFs are rendered here.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from brochure.models import Notice, NoticeKind, Review, State, Verdict, Version
from brochure.snapshot import take_snapshot
from programmes.models import Activity, Programme, Role
from workshops.models import RelayGroup

DISPUTE = (
    "De casuïstiekwebinars staan nog los van het overleg; wij hadden ze juist gekoppeld aan het "
    "casuïstiekoverleg in de wijk."
)


def _first(programme: Programme, number: int) -> Activity | None:
    return Activity.objects.filter(year__programme=programme, year__number=number).order_by("order", "pk").first()


def _version(programme, major, minor, snapshot, state, note, author) -> Version:
    now = timezone.now()
    return Version.objects.create(
        programme=programme,
        major=major,
        minor=minor,
        snapshot=snapshot,
        state=state,
        note=note,
        created_by=author,
        review_requested_at=now if state != State.DRAFT else None,
        released_at=now if state == State.RELEASED else None,
    )


@transaction.atomic
def seed(programme: Programme) -> None:
    """Create the four demo versions once. Idempotent: a programme that has any version is left
    alone. Side effects: Version, Review and Notice rows, photo copies; the design is changed
    and restored within the transaction."""
    if Version.objects.filter(programme=programme).exists():
        return
    facilitator = programme.memberships.filter(role=Role.FACILITATOR).select_related("user").first()
    author = facilitator.user if facilitator else None
    first, second, third = (_first(programme, n) for n in (1, 2, 3))
    originals = {
        a.pk: {"occurrences": a.occurrences, "contact_hours": a.contact_hours, "modality": a.modality}
        for a in (first, second, third)
        if a is not None
    }

    def change(activity, **fields):
        if activity is not None:
            Activity.objects.filter(pk=activity.pk).update(**fields)

    try:
        # 1.0 after the first relay session: year 1 met less often, year 2 longer, year 3 on site.
        if first:
            change(first, occurrences=max(first.occurrences - 2, 1))
        if second:
            change(second, contact_hours=second.contact_hours + Decimal("1"))
        if third:
            change(third, modality="face_to_face" if third.modality != "face_to_face" else "online_sync")
        v10 = _version(programme, 1, 0, take_snapshot(programme), State.RELEASED, "Na relaysessie 1", author)
        if first:
            change(first, occurrences=originals[first.pk]["occurrences"])
        v11 = _version(programme, 1, 1, take_snapshot(programme), State.RELEASED, "Jaar 1 bijgesteld", author)
        if second:
            change(second, contact_hours=originals[second.pk]["contact_hours"])
        v20 = _version(programme, 2, 0, take_snapshot(programme), State.RELEASED, "Na relaysessie 2", author)
    finally:
        for pk, fields in originals.items():
            Activity.objects.filter(pk=pk).update(**fields)
    v30 = _version(programme, 3, 0, take_snapshot(programme), State.IN_REVIEW, "Na relaysessie 3", author)

    groups = list(RelayGroup.objects.filter(programme=programme, year__number=3).prefetch_related("members"))
    v30.reviewer_groups.set(groups)
    members = [user for group in groups for user in group.members.all()]
    if members:
        Review.objects.create(version=v30, section="year-3", user=members[0], verdict=Verdict.DISPUTE, comment=DISPUTE)
        if len(members) > 1:
            Review.objects.create(version=v30, section="guardrails", user=members[1], verdict=Verdict.CONFIRM)
    for user in members:
        Notice.objects.get_or_create(version=v30, user=user, kind=NoticeKind.REVIEW_REQUESTED)
    for version in (v10, v11, v20):
        version.reviewer_groups.set(RelayGroup.objects.filter(programme=programme))
