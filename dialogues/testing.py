"""Test factories for dialogues (used by tests/test_dialogues*.py and the browser test)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dialogues.models import Answer, Dialogue, Invitation, Proposal, Question, Reaction

QUESTIONS = ("Welke activiteit kost je de meeste tijd?", "Is 3 uur per week een harde grens?")
PROPOSALS = (
    ("Verleng jaar 2 naar 44 leerweken", "Dan daalt jaar 2 van 3,4 naar 3,1 uur per week."),
    ("Maak de webinars asynchroon en korter", "Kijken wanneer het uitkomt scheelt roosterdruk."),
)


def make_dialogue(
    programme, *, invited=(), questions=QUESTIONS, proposals=PROPOSALS, closes_in: int = 7, **fields
) -> Dialogue:
    dialogue = Dialogue.objects.create(
        programme=programme,
        title=fields.pop("title", "Studiebelasting: hoe houden we het bij 3 uur?"),
        closes_on=timezone.localdate() + timedelta(days=closes_in),
        **fields,
    )
    for order, text in enumerate(questions, start=1):
        Question.objects.create(dialogue=dialogue, text=text, order=order)
    for order, (title, reasoning) in enumerate(proposals, start=1):
        Proposal.objects.create(dialogue=dialogue, title=title, reasoning=reasoning, order=order)
    for user in invited:
        Invitation.objects.create(dialogue=dialogue, user=user)
    return dialogue


def answer(question, author, text: str = "Mijn antwoord.", parent=None, language: str = "") -> Answer:
    return Answer.objects.create(question=question, author=author, text=text, parent=parent, language=language)


def react(proposal, author, kind: str = "agree", reason: str = "") -> Reaction:
    return Reaction.objects.create(proposal=proposal, author=author, kind=kind, reason=reason)


def respond_fully(dialogue, user) -> None:
    """Answer every question and react to every proposal as `user`."""
    for question in dialogue.questions.all():
        answer(question, user)
    for proposal in dialogue.proposals.all():
        react(proposal, user)
