"""Dialogues through their views: who sees what (co-thinkers above all), answers and replies,
reactions and their rules, tallies, escaping, creating, editing and closing with an outcome."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues.models import Answer, Dialogue, Invitation, Question, Reaction
from dialogues.testing import answer, make_dialogue, react
from guardrails.models import Guardrail
from programmes.models import Membership, Role
from tests.conftest import make_activity, make_member

SCRIPT = "<script>alert('x')</script>"


def page_text(response) -> str:
    """The visible text of a page: tags dropped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def detail_url(dialogue) -> str:
    return reverse("dialogue_detail", args=[dialogue.programme.slug, dialogue.pk])


def action_url(name: str, dialogue) -> str:
    return reverse(name, args=[dialogue.programme.slug, dialogue.pk])


@pytest.fixture
def dialogue(programme, co_thinker):
    return make_dialogue(programme, invited=[co_thinker])


# --- who sees what ------------------------------------------------------------------------


def test_facilitator_sees_every_dialogue_of_the_programme(client, facilitator, programme, co_thinker):
    make_dialogue(programme, title="Studiebelasting", invited=[co_thinker])
    make_dialogue(programme, title="Leren met partners")
    client.force_login(facilitator)

    response = client.get(reverse("dialogues", args=[programme.slug]))

    assert [row.title for row in response.context["dialogues"]] == ["Studiebelasting", "Leren met partners"]
    assert "New dialogue" in page_text(response)


@pytest.mark.parametrize("role", ["team_manager", "director", "co_thinker"])
def test_others_see_only_the_dialogues_they_are_invited_to(client, request, programme, role):
    user = request.getfixturevalue(role)
    mine = make_dialogue(programme, title="Studiebelasting", invited=[user])
    other = make_dialogue(programme, title="Geheime dialoog")
    client.force_login(user)

    listing = client.get(reverse("dialogues", args=[programme.slug]))

    assert [row.title for row in listing.context["dialogues"]] == ["Studiebelasting"]
    assert "Geheime dialoog" not in page_text(listing)
    assert client.get(detail_url(mine)).status_code == 200
    assert client.get(detail_url(other)).status_code == 404


def test_co_thinker_opens_no_programme_page_by_url(client, co_thinker, programme, year1, dialogue):
    client.force_login(co_thinker)
    urls = [
        reverse("programme_overview", args=[programme.slug]),
        reverse("year_designer", args=[programme.slug, 1]),
        reverse("guardrail_board", args=[programme.slug]),
        reverse("dialogue_new", args=[programme.slug]),
    ]

    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]


def test_co_thinker_page_has_no_programme_navigation(client, co_thinker, programme, dialogue):
    client.force_login(co_thinker)

    response = client.get(detail_url(dialogue))

    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("programme_overview", args=[programme.slug])}"' not in body
    assert reverse("guardrail_board", args=[programme.slug]) not in body
    assert "programme-nav" not in body
    assert f'href="{reverse("my_dialogues")}"' in body


def test_co_thinker_without_an_invitation_gets_404_on_the_list(client, co_thinker, programme):
    make_dialogue(programme)
    client.force_login(co_thinker)

    assert client.get(reverse("dialogues", args=[programme.slug])).status_code == 404


def test_dialogue_of_another_programme_by_url_is_404(client, facilitator, programme, other_programme):
    theirs = make_dialogue(other_programme, title="Van een ander")
    client.force_login(facilitator)

    response = client.get(reverse("dialogue_detail", args=[programme.slug, theirs.pk]))

    assert response.status_code == 404
    assert client.get(detail_url(theirs)).status_code == 404


def test_outsider_gets_404_everywhere(client, outsider, dialogue):
    client.force_login(outsider)

    for name in ("dialogue_detail", "dialogue_edit", "dialogue_close"):
        assert client.get(action_url(name, dialogue)).status_code == 404
    assert client.post(action_url("dialogue_answer", dialogue), {"text": "Hallo"}).status_code == 404


@pytest.mark.parametrize("name", ["dialogue_edit", "dialogue_close"])
def test_invited_people_cannot_manage(client, co_thinker, team_manager, dialogue, name):
    Invitation.objects.create(dialogue=dialogue, user=team_manager)
    for user in (co_thinker, team_manager):
        client.force_login(user)
        assert client.get(action_url(name, dialogue)).status_code == 403


def test_my_dialogues_lists_invitations_across_programmes(client, django_user_model, programme, other_programme):
    hans = make_member(django_user_model, programme, Role.CO_THINKER, "hans")
    Membership.objects.create(user=hans, programme=other_programme, role=Role.CO_THINKER)
    Invitation.objects.create(user=hans, dialogue=make_dialogue(other_programme, title="Elders"))
    make_dialogue(programme, title="Hier", invited=[hans])
    make_dialogue(programme, title="Niet voor Hans")
    client.force_login(hans)

    response = client.get(reverse("my_dialogues"))

    assert sorted(row.title for row in response.context["dialogues"]) == ["Elders", "Hier"]
    assert response.context["needs_response_count"] == 2


def test_my_dialogues_leaves_out_programmes_you_are_no_longer_a_member_of(
    client, co_thinker, programme, other_programme
):
    Invitation.objects.create(user=co_thinker, dialogue=make_dialogue(other_programme, title="Elders"))
    make_dialogue(programme, title="Hier", invited=[co_thinker])
    client.force_login(co_thinker)

    response = client.get(reverse("my_dialogues"))

    assert [row.title for row in response.context["dialogues"]] == ["Hier"]
    assert response.context["needs_response_count"] == 1


# The rows proposed for tests/test_permissions.py MATRIX, with its setup: one dialogue of the
# programme to which only the co-thinker is invited.
ROLES = ["anonymous", "outsider", "co_thinker", "director", "team_manager", "facilitator"]
MATRIX = {
    "dialogues": ("get", None, False, [302, 404, 200, 200, 200, 200]),
    "dialogue_new": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "dialogue_detail": ("get", None, False, [302, 404, 200, 404, 404, 200]),
    "dialogue_edit": ("get", None, False, [302, 404, 403, 404, 404, 200]),
    "dialogue_answer": ("post", {}, False, [302, 404, 200, 404, 404, 403]),
    "dialogue_react": ("post", {}, False, [302, 404, 200, 404, 404, 403]),
    "dialogue_close": ("get", None, False, [302, 404, 403, 404, 404, 200]),
    "my_dialogues": ("get", None, False, [302, 200, 200, 200, 200, 200]),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_gets_expected_status(client, request, programme, name, role):
    dialogue = make_dialogue(programme)
    if role != "anonymous":
        user = request.getfixturevalue(role)
        client.force_login(user)
        if role == "co_thinker":
            Invitation.objects.create(dialogue=dialogue, user=user)
    method, data, _htmx, statuses = MATRIX[name]
    kwargs = {}
    if name in {"dialogues", "dialogue_new"}:
        kwargs = {"slug": programme.slug}
    elif name != "my_dialogues":
        kwargs = {"slug": programme.slug, "pk": dialogue.pk}
    url = reverse(name, kwargs=kwargs)

    response = client.post(url, data) if method == "post" else client.get(url)

    assert response.status_code == statuses[ROLES.index(role)]
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# --- answers and replies ------------------------------------------------------------------


def test_answer_is_saved_and_shown(client, co_thinker, dialogue):
    question = dialogue.questions.first()
    client.force_login(co_thinker)

    response = client.post(
        action_url("dialogue_answer", dialogue), {"question": question.pk, "text": "  De webinars.  "}, follow=True
    )

    saved = Answer.objects.get()
    assert (saved.question, saved.author, saved.text, saved.parent) == (question, co_thinker, "De webinars.", None)
    assert "Your answer is saved." in page_text(response)
    assert "De webinars." in page_text(response)
    assert response.redirect_chain[-1][0].endswith(f"#answer-{saved.pk}")


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_answer_is_refused_with_a_message(client, co_thinker, dialogue, text):
    client.force_login(co_thinker)

    response = client.post(
        action_url("dialogue_answer", dialogue), {"question": dialogue.questions.first().pk, "text": text}
    )

    assert response.status_code == 200
    assert "Write your answer first; an empty answer is not saved." in page_text(response)
    assert Answer.objects.count() == 0


def test_too_long_answer_is_refused_and_kept(client, co_thinker, dialogue):
    client.force_login(co_thinker)
    text = "Tijd. " * 700

    response = client.post(
        action_url("dialogue_answer", dialogue), {"question": dialogue.questions.first().pk, "text": text}
    )

    assert "Keep your answer under 4000 characters; this one has 4199." in page_text(response)
    assert text.strip() in html.unescape(response.content.decode())
    assert Answer.objects.count() == 0


def test_reply_to_a_reply_attaches_to_the_top_level_answer(client, co_thinker, team_manager, dialogue):
    Invitation.objects.create(dialogue=dialogue, user=team_manager)
    question = dialogue.questions.first()
    top = answer(question, team_manager, "De experimenten.")
    first_reply = answer(question, co_thinker, "Herkenbaar.", parent=top)
    client.force_login(team_manager)

    client.post(
        action_url("dialogue_answer", dialogue), {"question": question.pk, "parent": first_reply.pk, "text": "Klopt."}
    )

    reply = Answer.objects.get(text="Klopt.")
    assert reply.parent == top


def test_reply_to_an_answer_of_another_question_is_refused(client, co_thinker, dialogue):
    first, second = dialogue.questions.all()
    top = answer(first, co_thinker)
    client.force_login(co_thinker)

    response = client.post(
        action_url("dialogue_answer", dialogue), {"question": second.pk, "parent": top.pk, "text": "Ja."}
    )

    assert "This reply belongs to another question; reload the page." in page_text(response)
    assert Answer.objects.count() == 1


def test_answer_to_a_question_of_another_dialogue_is_refused_and_kept(client, co_thinker, programme, dialogue):
    elsewhere = make_dialogue(programme, title="Elders").questions.first()
    client.force_login(co_thinker)

    response = client.post(action_url("dialogue_answer", dialogue), {"question": elsewhere.pk, "text": "Mijn tekst"})

    text = page_text(response)
    assert "This question is not part of this dialogue; reload the page and answer again." in text
    assert "Mijn tekst" in text
    assert Answer.objects.count() == 0


@pytest.mark.parametrize("how", ["closed", "past_closing_date"])
def test_answer_after_closing_is_refused_and_the_text_kept(client, co_thinker, dialogue, how):
    if how == "closed":
        Dialogue.objects.filter(pk=dialogue.pk).update(closed_at=timezone.now(), outcome="Klaar.")
    else:
        Dialogue.objects.filter(pk=dialogue.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    client.force_login(co_thinker)

    response = client.post(
        action_url("dialogue_answer", dialogue),
        {"question": dialogue.questions.first().pk, "text": "Te laat, maar toch."},
    )

    assert response.status_code == 200
    assert "This dialogue is closed, so nothing was saved." in page_text(response)
    assert "Te laat, maar toch." in page_text(response)
    assert Answer.objects.count() == 0


def test_closed_dialogue_shows_no_answer_or_reaction_forms(client, co_thinker, dialogue):
    Dialogue.objects.filter(pk=dialogue.pk).update(closed_at=timezone.now(), outcome="Klaar.")
    client.force_login(co_thinker)

    body = client.get(detail_url(dialogue)).content.decode()

    assert action_url("dialogue_answer", dialogue) not in body
    assert action_url("dialogue_react", dialogue) not in body


def test_html_in_text_is_shown_literally(client, facilitator, co_thinker, programme):
    dialogue = make_dialogue(
        programme,
        title=f"Titel {SCRIPT}",
        context=f"Context {SCRIPT}",
        questions=[f"Vraag {SCRIPT}"],
        proposals=[(f"Voorstel {SCRIPT}", f"Reden {SCRIPT}")],
        invited=[co_thinker],
    )
    question, proposal = dialogue.questions.get(), dialogue.proposals.get()
    answer(question, co_thinker, f"Antwoord {SCRIPT}")
    react(proposal, co_thinker, "block", f"Blok {SCRIPT}")
    client.force_login(facilitator)

    body = client.get(detail_url(dialogue)).content.decode()

    assert "<script>alert" not in body
    # the title three times (<title>, breadcrumb, heading), then context, question, proposal,
    # reasoning, answer and reason
    assert body.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") == 9


def test_htmx_answer_returns_the_question_with_the_progress_out_of_band(client, co_thinker, dialogue):
    question = dialogue.questions.first()
    client.force_login(co_thinker)

    response = client.post(
        action_url("dialogue_answer", dialogue), {"question": question.pk, "text": "Via htmx."}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert f'id="question-{question.pk}"' in body
    assert 'id="my-progress"' in body and 'hx-swap-oob="true"' in body
    assert "You answered 1 of 2 questions and reacted to 0 of 2 proposals." in page_text(response)
    assert "<html" not in body


def test_htmx_empty_answer_returns_the_question_with_the_error(client, co_thinker, dialogue):
    question = dialogue.questions.first()
    client.force_login(co_thinker)

    response = client.post(
        action_url("dialogue_answer", dialogue), {"question": question.pk, "text": " "}, HTTP_HX_REQUEST="true"
    )

    assert "Write your answer first; an empty answer is not saved." in page_text(response)
    assert "<html" not in response.content.decode()


def test_facilitator_replies_but_does_not_answer_without_an_invitation(client, facilitator, co_thinker, dialogue):
    question = dialogue.questions.first()
    top = answer(question, co_thinker, "De webinars.")
    client.force_login(facilitator)
    url = action_url("dialogue_answer", dialogue)

    replied = client.post(url, {"question": question.pk, "parent": top.pk, "text": "Dank!"})
    answered = client.post(url, {"question": question.pk, "text": "Mijn eigen antwoord"})

    assert (replied.status_code, answered.status_code) == (302, 403)
    assert list(Answer.objects.values_list("text", "parent")) == [("De webinars.", None), ("Dank!", top.pk)]


# --- reactions ----------------------------------------------------------------------------


def _react(client, dialogue, kind, reason="", proposal=None, **headers):
    proposal = proposal or dialogue.proposals.first()
    data = {"proposal": proposal.pk, "kind": kind, "reason": reason}
    return client.post(action_url("dialogue_react", dialogue), data, **headers)


@pytest.mark.parametrize("kind", ["disagree", "block"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_disagree_and_block_need_a_reason(client, co_thinker, dialogue, kind, reason):
    client.force_login(co_thinker)

    response = _react(client, dialogue, kind, reason)

    assert "Give a reason when you disagree or block" in page_text(response)
    assert Reaction.objects.count() == 0


def test_block_with_a_reason_is_saved(client, co_thinker, dialogue):
    client.force_login(co_thinker)

    response = _react(client, dialogue, "block", "Leren in de zomer maakt het niet lichter.")

    assert response.status_code == 302
    reaction = Reaction.objects.get()
    assert (reaction.author, reaction.kind, reaction.reason) == (
        co_thinker,
        "block",
        "Leren in de zomer maakt het niet lichter.",
    )


def test_reacting_again_replaces_the_reaction(client, co_thinker, dialogue):
    client.force_login(co_thinker)

    _react(client, dialogue, "block", "Te zwaar.")
    _react(client, dialogue, "agree")

    assert list(Reaction.objects.values_list("kind", "reason")) == [("agree", "")]


def test_too_long_reason_is_refused_and_kept(client, co_thinker, dialogue):
    client.force_login(co_thinker)
    reason = "Nee. " * 201

    response = _react(client, dialogue, "disagree", reason)

    assert "Keep your reason under 1000 characters; this one has 1004." in page_text(response)
    assert reason.strip() in html.unescape(response.content.decode())
    assert Reaction.objects.count() == 0


def test_unknown_reaction_is_refused(client, co_thinker, dialogue):
    client.force_login(co_thinker)

    response = _react(client, dialogue, "veto", "Nee.")

    assert "Choose agree, abstain, disagree or block." in page_text(response)
    assert Reaction.objects.count() == 0


def test_reacting_after_closing_is_refused_and_the_reason_kept(client, co_thinker, dialogue):
    Dialogue.objects.filter(pk=dialogue.pk).update(closed_at=timezone.now(), outcome="Klaar.")
    client.force_login(co_thinker)

    response = _react(client, dialogue, "block", "Mijn bezwaar blijft staan.")

    assert "This dialogue is closed, so nothing was saved." in page_text(response)
    assert "Mijn bezwaar blijft staan." in page_text(response)
    assert Reaction.objects.count() == 0


def test_facilitator_without_an_invitation_cannot_react(client, facilitator, dialogue):
    client.force_login(facilitator)

    assert _react(client, dialogue, "agree").status_code == 403
    assert Reaction.objects.count() == 0


def test_tallies_and_reasons_per_proposal(client, facilitator, django_user_model, programme, dialogue):
    first, second = dialogue.proposals.all()
    people = [make_member(django_user_model, programme, Role.TEAM_MANAGER, f"tm{n}") for n in range(4)]
    react(first, people[0], "agree", "Liever langer.")
    react(first, people[1], "block", "Leren in de zomer.")
    react(first, people[2], "disagree", "Smeert het uit.")
    react(second, people[3], "abstain")
    client.force_login(facilitator)

    response = client.get(detail_url(dialogue))

    first_tally, second_tally = (p.tally for p in response.context["proposals"])
    assert first_tally.counts == (("agree", 1), ("abstain", 0), ("disagree", 1), ("block", 1))
    assert second_tally.counts == (("agree", 0), ("abstain", 1), ("disagree", 0), ("block", 0))
    text = page_text(response)
    assert "tm1 : Leren in de zomer." in text
    assert "3 reasons" in text


def test_htmx_reaction_returns_the_proposal(client, co_thinker, dialogue):
    proposal = dialogue.proposals.first()
    client.force_login(co_thinker)

    response = _react(client, dialogue, "agree", proposal=proposal, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert f'id="proposal-{proposal.pk}"' in body
    assert "Your reaction is saved." in page_text(response)
    assert "<html" not in body


# --- creating and editing -----------------------------------------------------------------


def _form_data(**overrides) -> dict:
    data = {
        "version": "1",
        "title": "Studiebelasting: hoe houden we het bij 3 uur?",
        "context": "Jaar 2 komt boven de 3 uur per week uit.",
        "closes_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "questions-TOTAL_FORMS": "3",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "1",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-text": "Welke activiteit kost de meeste tijd?",
        "questions-1-text": "Is 3 uur een harde grens?",
        "questions-2-text": "",
        "proposals-TOTAL_FORMS": "2",
        "proposals-INITIAL_FORMS": "0",
        "proposals-MIN_NUM_FORMS": "1",
        "proposals-MAX_NUM_FORMS": "1000",
        "proposals-0-title": "Verleng jaar 2 naar 44 leerweken",
        "proposals-0-reasoning": "Dan daalt jaar 2 naar 3,1 uur per week.",
        "proposals-1-title": "",
        "proposals-1-reasoning": "",
    }
    data.update(overrides)
    return data


def test_facilitator_opens_a_dialogue_with_questions_proposals_and_invitations(
    client, facilitator, co_thinker, director, programme, django_capture_on_commit_callbacks, mailoutbox
):
    co_thinker.email, director.email = "cora@example.org", "diana@example.org"
    co_thinker.save()
    director.save()
    guardrail = Guardrail.objects.create(programme=programme, name="Studiebelasting", target=3)
    client.force_login(facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dialogue_new", args=[programme.slug]),
            _form_data(guardrail=guardrail.pk, invitees=[co_thinker.pk, director.pk]),
        )

    dialogue = Dialogue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(dialogue)
    assert list(dialogue.questions.values_list("order", "text")) == [
        (1, "Welke activiteit kost de meeste tijd?"),
        (2, "Is 3 uur een harde grens?"),
    ]
    assert list(dialogue.proposals.values_list("title", flat=True)) == ["Verleng jaar 2 naar 44 leerweken"]
    assert set(dialogue.participants.all()) == {co_thinker, director}
    assert (dialogue.guardrail, dialogue.created_by) == (guardrail, facilitator)
    assert sorted(mail.to[0] for mail in mailoutbox) == ["cora@example.org", "diana@example.org"]


def test_new_dialogue_needs_a_question_and_a_proposal(client, facilitator, programme):
    client.force_login(facilitator)

    response = client.post(
        reverse("dialogue_new", args=[programme.slug]),
        _form_data(
            **{"questions-0-text": "", "questions-1-text": "", "proposals-0-title": "", "proposals-0-reasoning": ""}
        ),
    )

    text = page_text(response)
    assert "Ask at least one question." in text
    assert "Make at least one proposal, with its reasoning." in text
    assert 'value="Studiebelasting: hoe houden we het bij 3 uur?"' in response.content.decode()  # kept
    assert Dialogue.objects.count() == 0


def test_proposal_without_reasoning_is_refused(client, facilitator, programme):
    client.force_login(facilitator)

    response = client.post(reverse("dialogue_new", args=[programme.slug]), _form_data(**{"proposals-0-reasoning": ""}))

    assert "Give the reasoning behind this proposal." in page_text(response)
    assert Dialogue.objects.count() == 0


def test_closing_date_in_the_past_is_refused(client, facilitator, programme):
    client.force_login(facilitator)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(reverse("dialogue_new", args=[programme.slug]), _form_data(closes_on=yesterday.isoformat()))

    assert "Choose a closing date from today on: people need time to answer." in page_text(response)
    assert Dialogue.objects.count() == 0


def test_only_members_of_this_programme_can_be_invited(client, facilitator, outsider, programme):
    client.force_login(facilitator)

    response = client.post(reverse("dialogue_new", args=[programme.slug]), _form_data(invitees=[outsider.pk]))

    assert "Choose people from this programme." in page_text(response)
    assert Dialogue.objects.count() == 0


def test_links_to_the_design_of_another_programme_are_refused(client, facilitator, programme, other_programme):
    theirs = Guardrail.objects.create(programme=other_programme, name="Van een ander", target=3)
    client.force_login(facilitator)

    response = client.post(reverse("dialogue_new", args=[programme.slug]), _form_data(guardrail=theirs.pk))

    assert "Choose one from this programme." in page_text(response)
    assert Dialogue.objects.count() == 0


def _edit_data(dialogue, **overrides) -> dict:
    questions = list(dialogue.questions.all())
    proposals = list(dialogue.proposals.all())
    data = {
        "version": str(dialogue.version),
        "title": dialogue.title,
        "context": dialogue.context,
        "closes_on": dialogue.closes_on.isoformat(),
        "invitees": list(dialogue.invitations.values_list("user_id", flat=True)),
        "questions-TOTAL_FORMS": str(len(questions) + 1),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "1",
        "questions-MAX_NUM_FORMS": "1000",
        "proposals-TOTAL_FORMS": str(len(proposals) + 1),
        "proposals-INITIAL_FORMS": str(len(proposals)),
        "proposals-MIN_NUM_FORMS": "1",
        "proposals-MAX_NUM_FORMS": "1000",
    }
    for index, question in enumerate(questions):
        data.update({f"questions-{index}-id": question.pk, f"questions-{index}-text": question.text})
    for index, proposal in enumerate(proposals):
        data.update(
            {
                f"proposals-{index}-id": proposal.pk,
                f"proposals-{index}-title": proposal.title,
                f"proposals-{index}-reasoning": proposal.reasoning,
            }
        )
    data.update(overrides)
    return data


def test_edit_adds_a_question_and_mails_only_the_newly_invited(
    client, facilitator, co_thinker, director, dialogue, django_capture_on_commit_callbacks, mailoutbox
):
    co_thinker.email, director.email = "cora@example.org", "diana@example.org"
    co_thinker.save()
    director.save()
    client.force_login(facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url("dialogue_edit", dialogue),
            _edit_data(dialogue, invitees=[co_thinker.pk, director.pk], **{"questions-2-text": "Nog een vraag?"}),
        )

    assert response.status_code == 302
    assert list(dialogue.questions.values_list("order", "text")) == [
        (1, "Welke activiteit kost je de meeste tijd?"),
        (2, "Is 3 uur per week een harde grens?"),
        (3, "Nog een vraag?"),
    ]
    assert [mail.to for mail in mailoutbox] == [["diana@example.org"]]


def test_an_answered_question_cannot_be_deleted(client, facilitator, co_thinker, dialogue):
    answer(dialogue.questions.first(), co_thinker)
    client.force_login(facilitator)

    response = client.post(action_url("dialogue_edit", dialogue), _edit_data(dialogue, **{"questions-0-DELETE": "on"}))

    assert "A question that has answers cannot be deleted; change its wording instead." in page_text(response)
    assert dialogue.questions.count() == 2


def test_uninvited_person_keeps_their_answers(client, facilitator, co_thinker, dialogue):
    answer(dialogue.questions.first(), co_thinker, "Mijn bijdrage.")
    client.force_login(facilitator)

    client.post(action_url("dialogue_edit", dialogue), _edit_data(dialogue, invitees=[]))

    assert dialogue.invitations.count() == 0
    assert "Mijn bijdrage." in page_text(client.get(detail_url(dialogue)))


def test_stale_edit_is_not_silently_saved(client, facilitator, dialogue):
    client.force_login(facilitator)
    stale = _edit_data(dialogue, title="Mijn titel")
    client.post(action_url("dialogue_edit", dialogue), _edit_data(dialogue, title="Hun titel"))

    response = client.post(action_url("dialogue_edit", dialogue), stale)

    assert "Someone else saved this dialogue while you were editing." in page_text(response)
    assert Dialogue.objects.get().title == "Hun titel"
    again = client.post(
        action_url("dialogue_edit", dialogue), {**stale, "version": response.context["form"]["version"].value()}
    )
    assert again.status_code == 302
    assert Dialogue.objects.get().title == "Mijn titel"


# --- closing with an outcome ----------------------------------------------------------------


def test_closing_needs_an_outcome(client, facilitator, dialogue):
    client.force_login(facilitator)

    response = client.post(action_url("dialogue_close", dialogue), {"version": dialogue.version, "outcome": "  "})

    assert "Write the outcome: what did the dialogue decide?" in page_text(response)
    assert Dialogue.objects.get().closed_at is None


def test_close_links_the_guardrail_and_the_activities(client, facilitator, co_thinker, programme, year1, dialogue):
    guardrail = Guardrail.objects.create(programme=programme, name="Studiebelasting", target=3)
    webinars = make_activity(year1, title="Webinars")
    intervision = make_activity(programme.years.get(number=2), title="Intervisie")
    make_activity(year1, title="Onveranderd")
    client.force_login(facilitator)

    response = client.post(
        action_url("dialogue_close", dialogue),
        {
            "version": dialogue.version,
            "outcome": "Webinars worden asynchroon.",
            "outcome_guardrail": guardrail.pk,
            "outcome_change": "Doel blijft ≤ 3 u/week",
            "outcome_activities": [webinars.pk, intervision.pk],
        },
    )

    closed = Dialogue.objects.get()
    assert response.status_code == 302
    assert closed.closed_by == facilitator and closed.closed_at is not None
    assert closed.outcome_guardrail == guardrail
    assert set(closed.outcome_activities.all()) == {webinars, intervision}
    client.force_login(co_thinker)
    text = page_text(client.get(detail_url(dialogue)))
    assert "Webinars worden asynchroon." in text
    assert "Studiebelasting : Doel blijft ≤ 3 u/week" in text


def test_guardrail_link_needs_a_note_of_what_changed(client, facilitator, programme, dialogue):
    guardrail = Guardrail.objects.create(programme=programme, name="Studiebelasting", target=3)
    client.force_login(facilitator)

    response = client.post(
        action_url("dialogue_close", dialogue),
        {"version": dialogue.version, "outcome": "Klaar.", "outcome_guardrail": guardrail.pk},
    )

    assert "Say what changed in the guardrail" in page_text(response)
    assert Dialogue.objects.get().closed_at is None


def test_close_refuses_activities_of_another_programme(client, facilitator, other_programme, dialogue):
    theirs = make_activity(other_programme.years.get(number=1), title="Van een ander")
    client.force_login(facilitator)

    response = client.post(
        action_url("dialogue_close", dialogue),
        {"version": dialogue.version, "outcome": "Klaar.", "outcome_activities": [theirs.pk]},
    )

    assert response.status_code == 200
    assert Dialogue.objects.get().closed_at is None


def test_editing_the_outcome_keeps_the_closing_moment(client, facilitator, dialogue):
    client.force_login(facilitator)
    client.post(action_url("dialogue_close", dialogue), {"version": dialogue.version, "outcome": "Eerste versie."})
    closed_at = Dialogue.objects.get().closed_at

    client.post(action_url("dialogue_close", dialogue), {"version": dialogue.version + 1, "outcome": "Tweede versie."})

    assert Dialogue.objects.get().outcome == "Tweede versie."
    assert Dialogue.objects.get().closed_at == closed_at


def test_context_shows_the_current_numbers_of_the_linked_guardrail(client, co_thinker, programme, year1):
    make_activity(year1, title="Intervisie", occurrences=40)  # 3 h × 40 = 120 h over 40 weeks: 3 h/week
    guardrail = Guardrail.objects.create(programme=programme, name="Studiebelasting", target=2, tolerance=0)
    dialogue = make_dialogue(programme, guardrail=guardrail, year=year1, invited=[co_thinker])
    client.force_login(co_thinker)

    text = page_text(client.get(detail_url(dialogue)))

    assert "Studiebelasting" in text
    assert "breached" in text
    assert "Year 1: 3 h/week" in text
    assert "3.0 h/week (120.0 hours over 40 learning weeks)" in text


def test_answers_survive_a_deleted_question_form(client, co_thinker, dialogue):
    """A question deleted while someone was typing: the page shows their text, nothing is lost."""
    question = dialogue.questions.first()
    client.force_login(co_thinker)
    pk = question.pk
    Question.objects.filter(pk=pk).delete()

    response = client.post(action_url("dialogue_answer", dialogue), {"question": pk, "text": "Mijn lange antwoord"})

    assert "Your text, so it is not lost:" in page_text(response)
    assert "Mijn lange antwoord" in page_text(response)


def test_htmx_form_without_a_place_gets_the_whole_page_with_the_text(client, co_thinker, dialogue):
    question = dialogue.questions.first()
    client.force_login(co_thinker)
    pk = question.pk
    Question.objects.filter(pk=pk).delete()

    response = client.post(
        action_url("dialogue_answer", dialogue), {"question": pk, "text": "Niet kwijt"}, HTTP_HX_REQUEST="true"
    )

    assert (response["HX-Retarget"], response["HX-Reswap"], response["HX-Reselect"]) == ("#main", "outerHTML", "#main")
    assert "Niet kwijt" in page_text(response)
