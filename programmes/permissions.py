"""Who may do what: the one place every view asks.

A user who is not a member of a programme gets 404 (the programme does not exist
for them). A member whose role lacks the capability gets 403.
Co-thinkers only take part in dialogues: every other programme page is 404 to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from programmes.models import Membership, Programme, Role, Year


class Can(StrEnum):
    VIEW = "view"
    EDIT_DESIGN = "edit_design"
    EDIT_AMBITION = "edit_ambition"
    EDIT_FRAMING = "edit_framing"
    MANAGE = "manage"


CAPABILITIES: dict[str, frozenset[Can]] = {
    Role.FACILITATOR: frozenset(Can),
    Role.TEAM_MANAGER: frozenset({Can.VIEW, Can.EDIT_DESIGN}),
    Role.DIRECTOR: frozenset({Can.VIEW, Can.EDIT_FRAMING}),
    Role.CO_THINKER: frozenset(),
}


def membership_for(user, programme: Programme) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, programme=programme).first()


def can(membership: Membership | None, capability: Can) -> bool:
    return membership is not None and capability in CAPABILITIES[membership.role]


def get_programme_for_user(user, slug: str, capability: Can = Can.VIEW) -> tuple[Programme, Membership]:
    """The programme `slug` with the user's membership, or 404/403.

    404 when the user may not even see the programme; 403 when they may see it but
    lack `capability`. Side effects: two queries.
    """
    programme = get_object_or_404(Programme.objects.select_related("organisation"), slug=slug)
    membership = membership_for(user, programme)
    if not can(membership, Can.VIEW):
        raise Http404
    if not can(membership, capability):
        raise PermissionDenied
    return programme, membership


def programmes_for_user(user):
    """Programmes the user can open, with their role annotated as `my_role`."""
    viewer_roles = [role for role, caps in CAPABILITIES.items() if Can.VIEW in caps]
    memberships = Membership.objects.filter(user=user, role__in=viewer_roles).select_related("programme__organisation")
    result = []
    for m in memberships.order_by("programme__title"):
        m.programme.my_role = m.get_role_display()
        result.append(m.programme)
    return result


@dataclass(frozen=True)
class RelayYears:
    """The relay groups of a programme as one member sees them."""

    mine: frozenset[int]  # ids of the years of the member's own relay groups
    designers: dict[int, tuple[str, ...]]  # year id → names of the relay groups that design it

    def designed_by(self, year: Year) -> str:
        return ", ".join(self.designers.get(year.pk, ()))


def relay_years(membership: Membership) -> RelayYears:
    """The relay groups' years for `membership`'s user. Side effects: one query, the first time
    per membership object (the answer is kept on it, so a request pays once)."""
    cached = getattr(membership, "_relay_years", None)
    if cached is None:
        # workshops builds on programmes; importing here keeps programmes importable on its own.
        from workshops.models import RelayGroup

        in_group = RelayGroup.members.through.objects.filter(relaygroup=OuterRef("pk"), user_id=membership.user_id)
        rows = (
            RelayGroup.objects.filter(programme_id=membership.programme_id)
            .annotate(mine=Exists(in_group))
            .order_by("order", "pk")
            .values_list("year_id", "name", "mine")
        )
        mine, designers = set(), {}
        for year_id, name, is_mine in rows:
            designers.setdefault(year_id, []).append(name)
            if is_mine:
                mine.add(year_id)
        cached = RelayYears(frozenset(mine), {year_id: tuple(names) for year_id, names in designers.items()})
        membership._relay_years = cached
    return cached


def can_edit_year(user, membership: Membership | None, year: Year) -> bool:
    """Whether `user` may change `year` (its title and activities).

    `membership` is the user's membership of the year's programme, as get_programme_for_user
    returns it; pass `user=None` where only the membership is at hand. Facilitators always may.
    Team managers may edit every year while the programme has no relay groups; once it has,
    only the years of the relay groups they belong to (the others they read). Nobody else may.
    Side effects: one query for a team manager, once per membership object (see relay_years).
    """
    if membership is None or (user is not None and membership.user_id != user.pk):
        return False
    if can(membership, Can.MANAGE):
        return True
    if not can(membership, Can.EDIT_DESIGN):
        return False
    relay = relay_years(membership)
    return not relay.designers or year.pk in relay.mine
