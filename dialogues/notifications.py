"""E-mail about dialogues: the invitation, a reply to your answer, the closing reminder.

Each kind goes out at most once per person per dialogue: the Notification row is written
in the same transaction as the mail is handed to the backend, and its unique constraint
turns a second attempt (a double click, a second app server, a cron run twice) into a
no-op. When sending fails the row is rolled back, so the next attempt tries again.
Views call these through `transaction.on_commit`, so nothing is mailed for a save that
rolled back.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dialogues import domain
from dialogues.models import Answer, Dialogue, Invitation, Notification, NotificationKind, Reaction
from dialogues.queries import open_dialogues, person_name
from programmes.models import Membership
from programmes.permissions import Can, can

logger = logging.getLogger(__name__)
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    """Where links in e-mail point when no request is at hand (the reminder command)."""
    return getattr(settings, "SITE_URL", "") or DEFAULT_BASE_URL


def _language(code: str) -> str:
    available = {language for language, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


def _send_once(dialogue: Dialogue, user, kind: str, language: str, url_base: str, extra: dict | None = None) -> bool:
    """Mail `user` about `dialogue` unless this kind already went out to them. Returns whether
    a mail went out. Side effects: one Notification row and one e-mail, or neither."""
    if not user.email or not user.is_active:
        return False
    try:
        with transaction.atomic():
            _notification, created = Notification.objects.get_or_create(dialogue=dialogue, user=user, kind=kind)
            if not created:
                return False
            context = {
                "dialogue": dialogue,
                "name": person_name(user),
                "url": url_base.rstrip("/") + dialogue.get_absolute_url(),
                **(extra or {}),
            }
            with translation.override(_language(language)):
                subject = " ".join(render_to_string(f"dialogues/email/{kind}_subject.txt", context).split())
                body = render_to_string(f"dialogues/email/{kind}.txt", context)
            send_mail(subject, body, None, [user.email])
    except IntegrityError:
        # Another process recorded the same notification between our read and our insert.
        return False
    return True


def send_invitations(dialogue_id: int, user_ids, url_base: str) -> int:
    """The invitation mail to each of `user_ids` who has not had one for this dialogue yet."""
    dialogue = Dialogue.objects.select_related("programme").get(pk=dialogue_id)
    invitations = Invitation.objects.filter(
        dialogue=dialogue, user_id__in=list(user_ids), user__memberships__programme=dialogue.programme_id
    ).select_related("user")
    sent = 0
    for invitation in invitations:
        sent += _send_once(dialogue, invitation.user, NotificationKind.INVITE, invitation.language, url_base)
    return sent


def send_reply_notification(answer_id: int, url_base: str) -> bool:
    """Tell the author of the answer replied to, in the language they wrote it in (never the replier)."""
    answer = Answer.objects.select_related("author", "parent__author", "question__dialogue__programme").get(
        pk=answer_id
    )
    parent = answer.parent
    if parent is None or domain.reply_recipient(answer.author_id, parent.author_id) is None:
        return False
    if not _may_open(parent.author, answer.question.dialogue):
        return False
    return _send_once(
        answer.question.dialogue,
        parent.author,
        NotificationKind.REPLY,
        parent.language,
        url_base,
        {"replier": person_name(answer.author), "reply": answer.text, "question": answer.question.text},
    )


def _may_open(user, dialogue: Dialogue) -> bool:
    """Never mail a link that would be a 404: the recipient must still be a facilitator of the
    programme, or a member invited to the dialogue."""
    membership = Membership.objects.filter(user=user, programme=dialogue.programme_id).first()
    if membership is None:
        return False
    return can(membership, Can.MANAGE) or dialogue.invitations.filter(user=user).exists()


def progress_by_user(dialogue: Dialogue) -> dict[int, domain.Progress]:
    """Every respondent's Progress in one dialogue (three queries)."""
    questions = dialogue.questions.count()
    proposals = dialogue.proposals.count()
    answered = dict(
        Answer.objects.filter(question__dialogue=dialogue, parent__isnull=True, author__isnull=False)
        .values("author")
        .annotate(n=Count("question", distinct=True))
        .values_list("author", "n")
    )
    reacted = dict(
        Reaction.objects.filter(proposal__dialogue=dialogue)
        .values("author")
        .annotate(n=Count("proposal", distinct=True))
        .values_list("author", "n")
    )
    return {
        user_id: domain.Progress(questions, answered.get(user_id, 0), proposals, reacted.get(user_id, 0))
        for user_id in set(answered) | set(reacted)
    }


def send_reminders(today: date | None = None, url_base: str | None = None) -> dict[str, int]:
    """The day-before-closing reminder for every open dialogue that closes today or tomorrow,
    to each invited person who has not fully responded and was not reminded yet.
    Returns {"dialogues": checked, "sent": mails}."""
    today = today or timezone.localdate()
    url_base = url_base or base_url()
    due = [d for d in open_dialogues(today).select_related("programme") if domain.reminder_due(d.closes_on, today)]
    reminded = defaultdict(set)
    for dialogue_id, user_id in Notification.objects.filter(
        dialogue__in=due, kind=NotificationKind.REMINDER
    ).values_list("dialogue_id", "user_id"):
        reminded[dialogue_id].add(user_id)
    sent = 0
    for dialogue in due:
        invitations = {
            i.user_id: i
            for i in Invitation.objects.filter(
                dialogue=dialogue, user__memberships__programme=dialogue.programme_id
            ).select_related("user")
        }
        recipients = domain.reminder_recipients(invitations, progress_by_user(dialogue), reminded[dialogue.pk])
        for user_id in recipients:
            invitation = invitations[user_id]
            sent += _send_once(dialogue, invitation.user, NotificationKind.REMINDER, invitation.language, url_base)
    return {"dialogues": len(due), "sent": sent}
