"""Who may do what: the one place every view asks.

A user who is not a member of a programme gets 404 (the programme does not exist
for them). A member whose role lacks the capability gets 403.
Co-thinkers only take part in dialogues: every other programme page is 404 to them.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from programmes.models import Membership, Programme, Role


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
