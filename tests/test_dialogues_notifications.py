"""E-mail about dialogues: invitations, replies and the closing reminder each go out once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from dialogues import notifications
from dialogues.models import Invitation, Notification
from dialogues.testing import answer, make_dialogue, react, respond_fully
from programmes.models import Membership, Role
from tests.conftest import make_member

BASE = "https://estafette.example.org"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("mail server down")


# `mailoutbox` comes after the database fixtures in every signature: setting up the database
# replaces django.core.mail.outbox, so a mailoutbox taken earlier would stay empty.


@pytest.fixture
def people(django_user_model, programme):
    """Three invitable people with an e-mail address: a co-thinker and two team managers."""
    result = {}
    for username, role in (("hans", Role.CO_THINKER), ("ingrid", Role.TEAM_MANAGER), ("yvonne", Role.TEAM_MANAGER)):
        user = make_member(django_user_model, programme, role, username)
        user.email = f"{username}@example.org"
        user.first_name = username.title()
        user.save()
        result[username] = user
    return result


def test_invitation_goes_out_once_per_person(programme, people, mailoutbox):
    dialogue = make_dialogue(programme, invited=[people["hans"], people["ingrid"]])
    ids = [people["hans"].pk, people["ingrid"].pk]

    first = notifications.send_invitations(dialogue.pk, ids, BASE)
    second = notifications.send_invitations(dialogue.pk, ids, BASE)

    assert (first, second) == (2, 0)
    assert sorted(mail.to[0] for mail in mailoutbox) == ["hans@example.org", "ingrid@example.org"]
    mail = mailoutbox[0]
    assert mail.subject == "Invitation to the dialogue “Studiebelasting: hoe houden we het bij 3 uur?”"
    assert f"{BASE}/p/alpha/dialogues/{dialogue.pk}/" in mail.body
    assert Notification.objects.filter(kind="invite").count() == 2


def test_invitation_comes_in_the_language_the_person_last_used(programme, people, mailoutbox):
    dialogue = make_dialogue(programme)
    Invitation.objects.create(dialogue=dialogue, user=people["hans"], language="nl")

    notifications.send_invitations(dialogue.pk, [people["hans"].pk], BASE)

    assert mailoutbox[0].subject == "Uitnodiging voor de dialoog “Studiebelasting: hoe houden we het bij 3 uur?”"
    assert "Hallo Hans," in mailoutbox[0].body


def test_nobody_without_an_address_is_mailed_or_recorded(programme, co_thinker, mailoutbox):
    dialogue = make_dialogue(programme, invited=[co_thinker])  # cora has no e-mail address

    assert notifications.send_invitations(dialogue.pk, [co_thinker.pk], BASE) == 0
    assert mailoutbox == []
    assert Notification.objects.count() == 0


def test_a_failed_send_is_not_recorded_so_the_next_attempt_retries(settings, programme, people, mailoutbox):
    dialogue = make_dialogue(programme, invited=[people["hans"]])
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"

    with pytest.raises(ConnectionError):
        notifications.send_invitations(dialogue.pk, [people["hans"].pk], BASE)
    assert Notification.objects.count() == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.send_invitations(dialogue.pk, [people["hans"].pk], BASE) == 1


def test_reply_mail_goes_to_the_author_once_per_dialogue(programme, people, mailoutbox):
    dialogue = make_dialogue(programme, invited=list(people.values()))
    question = dialogue.questions.first()
    top = answer(question, people["hans"], "De webinars.", language="nl")
    first = answer(question, people["ingrid"], "Herkenbaar.", parent=top)
    second = answer(question, people["yvonne"], "Ik ook.", parent=top)

    sent = [notifications.send_reply_notification(reply.pk, BASE) for reply in (first, second)]

    assert sent == [True, False]
    assert [mail.to for mail in mailoutbox] == [["hans@example.org"]]
    assert mailoutbox[0].subject == "Ingrid heeft je geantwoord in “Studiebelasting: hoe houden we het bij 3 uur?”"
    assert "Herkenbaar." in mailoutbox[0].body


def test_no_reply_mail_to_someone_who_can_no_longer_open_the_dialogue(programme, people, mailoutbox):
    dialogue = make_dialogue(programme, invited=list(people.values()))
    question = dialogue.questions.first()
    top = answer(question, people["hans"], "De webinars.")
    reply = answer(question, people["ingrid"], "Herkenbaar.", parent=top)
    Invitation.objects.filter(user=people["hans"]).delete()

    assert notifications.send_reply_notification(reply.pk, BASE) is False
    assert mailoutbox == []


def test_no_reminder_for_someone_who_left_the_programme(programme, people, mailoutbox):
    make_dialogue(programme, invited=[people["hans"], people["ingrid"]], closes_in=1)
    Membership.objects.filter(user=people["hans"]).delete()

    _remind()

    assert [mail.to for mail in mailoutbox] == [["ingrid@example.org"]]


def test_no_reply_mail_to_yourself_or_for_a_top_level_answer(programme, people, mailoutbox):
    dialogue = make_dialogue(programme, invited=[people["hans"]])
    question = dialogue.questions.first()
    top = answer(question, people["hans"], "De webinars.")
    own_reply = answer(question, people["hans"], "En nog iets.", parent=top)

    assert notifications.send_reply_notification(top.pk, BASE) is False
    assert notifications.send_reply_notification(own_reply.pk, BASE) is False
    assert mailoutbox == []


def test_replying_through_the_page_mails_after_the_commit(
    client, programme, people, django_capture_on_commit_callbacks, mailoutbox
):
    dialogue = make_dialogue(programme, invited=list(people.values()))
    question = dialogue.questions.first()
    top = answer(question, people["hans"], "De webinars.")
    client.force_login(people["ingrid"])
    url = reverse("dialogue_answer", args=[programme.slug, dialogue.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"question": question.pk, "parent": top.pk, "text": "Herkenbaar."})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"question": question.pk, "parent": top.pk, "text": "Nog een keer."})

    assert [mail.to for mail in mailoutbox] == [["hans@example.org"]]
    assert "http://testserver/p/alpha/dialogues/" in mailoutbox[0].body


def _remind(today=None) -> str:
    out = StringIO()
    args = ["--base-url", BASE] + (["--today", today.isoformat()] if today else [])
    call_command("send_dialogue_reminders", *args, stdout=out)
    return out.getvalue()


def test_reminder_reaches_only_those_who_have_not_fully_responded_once(programme, people, mailoutbox):
    dialogue = make_dialogue(programme, invited=list(people.values()), closes_in=1)
    respond_fully(dialogue, people["hans"])
    answer(dialogue.questions.first(), people["ingrid"])  # started, not finished

    first = _remind()
    second = _remind()

    assert sorted(mail.to[0] for mail in mailoutbox) == ["ingrid@example.org", "yvonne@example.org"]
    assert first == "Checked 1 dialogue(s) closing within a day; sent 2 reminder(s).\n"
    assert second == "Checked 1 dialogue(s) closing within a day; sent 0 reminder(s).\n"
    assert mailoutbox[0].subject == "The dialogue “Studiebelasting: hoe houden we het bij 3 uur?” closes soon"


def test_reminder_waits_for_the_day_before_and_skips_closed_dialogues(programme, people, mailoutbox):
    make_dialogue(programme, invited=list(people.values()), closes_in=3)
    closed = make_dialogue(programme, invited=list(people.values()), closes_in=1)
    closed.closed_at = timezone.now()
    closed.save()

    assert "sent 0 reminder(s)" in _remind()
    assert mailoutbox == []
    assert "sent 3 reminder(s)" in _remind(today=timezone.localdate() + timedelta(days=2))


def test_reminder_after_a_reaction_to_everything_but_one_question(programme, people, mailoutbox):
    dialogue = make_dialogue(programme, invited=[people["hans"]], closes_in=0)
    for proposal in dialogue.proposals.all():
        react(proposal, people["hans"])
    answer(dialogue.questions.first(), people["hans"])

    _remind()

    assert [mail.to for mail in mailoutbox] == [["hans@example.org"]]


def test_reminder_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--today takes a date as YYYY-MM-DD"):
        call_command("send_dialogue_reminders", "--today", "morgen")
