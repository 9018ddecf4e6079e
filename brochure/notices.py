"""In-app notices and e-mail about brochure versions: at most once per person, kind and version.

The Notice row and the mail are one unit: the row's unique constraint makes a second
attempt (a double click, a second app server) a no-op; when the mail fails the row is
rolled back so a later attempt tries again.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from brochure.models import Notice, NoticeKind, Version
from programmes.models import Membership
from programmes.permissions import Can, can

logger = logging.getLogger(__name__)


def _base_url() -> str:
    return getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000"


def _send_once(version: Version, user, kind: str) -> bool:
    """Returns whether a notice was recorded (and, for users with an address, a mail sent)."""
    if not user.is_active:
        return False
    try:
        with transaction.atomic():
            _notice, created = Notice.objects.get_or_create(version=version, user=user, kind=kind)
            if not created:
                return False
            if user.email:
                context = {
                    "version": version,
                    "programme": version.programme,
                    "name": user.get_full_name() or user.get_username(),
                    "url": _base_url().rstrip("/") + version.get_absolute_url(),
                }
                with translation.override(settings.LANGUAGE_CODE):
                    subject = " ".join(render_to_string(f"brochure/email/{kind}_subject.txt", context).split())
                    body = render_to_string(f"brochure/email/{kind}.txt", context)
                send_mail(subject, body, None, [user.email])
    except IntegrityError:
        return False
    except OSError:
        logger.exception("brochure notice mail failed for version %s", version.pk)
        return False
    return True


def review_requested(version_id: int) -> int:
    """Tell the members of the reviewing relay groups. Returns how many were told."""
    version = Version.objects.select_related("programme").get(pk=version_id)
    users = {u.pk: u for g in version.reviewer_groups.prefetch_related("members") for u in g.members.all()}
    return sum(_send_once(version, user, NoticeKind.REVIEW_REQUESTED) for user in users.values())


def released(version_id: int) -> int:
    """Tell every member who may view the programme. Returns how many were told."""
    version = Version.objects.select_related("programme").get(pk=version_id)
    members = Membership.objects.filter(programme=version.programme).select_related("user")
    return sum(_send_once(version, m.user, NoticeKind.RELEASED) for m in members if can(m, Can.VIEW))


def unread_for(user, programme) -> list[Notice]:
    return list(
        Notice.objects.filter(user=user, version__programme=programme, read_at__isnull=True).select_related("version")
    )
