"""Demo dialogues for the demo programme (development only; the texts are Dutch, like the demo).

The seed case: the kickoff poll set "study load ≤ 3 h/week", year 2 came out above it, and
a few co-thinkers answered explicit questions and reacted to two reasoned proposals in
their own time; the thread closed with an outcome that changed the design. Next to it an
open dialogue the co-thinker `meedenker` has not responded to yet, so the header shows 1.

`seed(programme)` is idempotent: it finds everything by title, order or author and
updates it; it sends no e-mail.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dialogues.models import Answer, Dialogue, Invitation, Proposal, Question, Reaction
from guardrails.models import Guardrail, Metric
from programmes.models import Activity, Programme

FACILITATOR = "anouk"

STUDY_LOAD = {
    "title": "Studiebelasting: hoe houden we het bij 3 uur?",
    "context": (
        "In de aftrap gaf de helft van de groep 2 uur per week aan en de andere helft 4 uur: gemiddeld 3 uur, "
        "en dat werd onze vangrail. Opgeteld – contacturen, voor- en nawerk en de extra uren als je je routine "
        "verlaat – komt jaar 2 in het ontwerp boven de 3 uur per week uit. Aan de vangrail voor tijd is dus niet "
        "voldaan. Wat nu?\n\n"
        "We leggen jullie een paar vragen en twee onderbouwde voorstellen voor. Reageer in je eigen tijd, en op "
        "elkaar: als je niets laat horen, gaat het proces verder."
    ),
    "invited": ["meedenker", "directeur", "tm03", "tm05", "tm07"],
    "questions": [
        "Welke activiteiten in jaar 2 kosten je naar verwachting de meeste tijd naast je werk, en waarom?",
        "Waar kan leren samenvallen met werk dat je toch al doet, zodat het geen extra tijd kost?",
        "Is 3 uur per week voor jou een harde grens, of mag een intensief jaar erboven zitten als een ander "
        "jaar eronder blijft?",
    ],
    "proposals": [
        (
            "Verleng jaar 2 naar 44 leerweken",
            "Met dezelfde activiteiten over 44 in plaats van 40 weken daalt de belasting in jaar 2 van ongeveer "
            "3,4 naar 3,1 uur per week. Er verdwijnt niets uit het programma, maar het jaar loopt door tot in de "
            "zomer en de oogstbijeenkomst schuift naar september.",
        ),
        (
            "Maak de webinars asynchroon en korter",
            "De webinarreeks 'Stelsel en financiering' vraagt vier keer 1,5 uur live op een vast moment, plus "
            "voorbereiding. Als korte kennisclips van 45 minuten die je kijkt wanneer het uitkomt, met één live "
            "vragenuur, scheelt dat tijd en roosterdruk – en de inhoud blijft dezelfde.",
        ),
    ],
    # (question number, author, text, replies [(author, text)], days ago)
    "answers": [
        (
            1,
            "tm03",
            "De experimenten met partners. De contacturen zijn te overzien, maar het voorbereiden en afstemmen "
            "met scholen en huisartsen loopt altijd uit.",
            [
                (
                    FACILITATOR,
                    "Goed punt: dat afstemmen staat nu nergens als uren. Zouden we het als 'extra uren' moeten tellen?",
                ),
                ("tm03", "Ja, reken maar een half uur per keer. Dan klopt het plaatje beter."),
            ],
            22,
        ),
        (
            1,
            "meedenker",
            "Vooral de webinars: een vast live moment op een drukke middag kost me meer dan de 1,5 uur in het "
            "schema, omdat ik er mijn dag omheen moet plannen.",
            [("tm05", "Herkenbaar. Als ze opgenomen worden, kijk ik ze liever 's avonds of in de trein.")],
            21,
        ),
        (
            2,
            "directeur",
            "Het regieoverleg met de gemeente en het wijknetwerkoverleg zijn er toch al. Als de dialoog met "
            "beleidsmakers daar een vast onderdeel van wordt, kost het geen extra tijd.",
            [],
            20,
        ),
        (
            2,
            "tm07",
            "Huisbezoeken samen met een teamlid doen we al; alleen het nabespreken moet erbij, en dat is een kwartier.",
            [("meedenker", "En dat nabespreken is precies waar het leren zit. Mooi voorbeeld.")],
            19,
        ),
        (
            3,
            "meedenker",
            "Gemiddeld over drie jaar mag het wat mij betreft, maar niet structureel erboven in één jaar: dan "
            "haken mensen af in het drukke najaar.",
            [],
            18,
        ),
        (
            3,
            "tm05",
            "Voor mij een harde grens: meer dan 3 uur lukt niet naast een team van twintig mensen.",
            [],
            17,
        ),
    ],
    # proposal number -> [(author, kind, reason)]
    "reactions": {
        1: [
            (
                "meedenker",
                "block",
                "44 weken betekent leren in de zomervakantie, juist als de buurtteams met minder mensen draaien. "
                "Het wordt dan niet minder zwaar, alleen later.",
            ),
            ("directeur", "disagree", "Het lost het probleem niet op, het smeert het uit."),
            ("tm03", "abstain", ""),
            ("tm05", "agree", "Liever iets langer dan iets schrappen."),
            ("tm07", "disagree", "De zomer is voor mijn team de drukste tijd met vervanging."),
        ],
        2: [
            ("meedenker", "agree", "Kennis halen kan prima asynchroon; bewaar de live tijd voor het gesprek."),
            ("directeur", "agree", ""),
            ("tm03", "agree", ""),
            ("tm05", "agree", ""),
            ("tm07", "abstain", "Ik mis dan het gesprek met de gemeente; houd één live sessie."),
        ],
    },
    "outcome": (
        "We houden de vangrail op 3 uur per week. Jaar 2 verlengen naar 44 weken doen we niet: één blok en twee "
        "bezwaren, en leren in de zomer maakt het niet lichter, alleen later.\n\n"
        "De webinarreeks 'Stelsel en financiering' wordt een reeks korte kennisclips die je kijkt wanneer het "
        "uitkomt, met één live vragenuur. De intervisie in jaar 2 gaat van acht naar zes keer; het nabespreken "
        "van huisbezoeken telt mee als leertijd. Zo komt jaar 2 in brochureversie 2.0 onder de 3 uur per week."
    ),
    "outcome_change": "Doel blijft ≤ 3 u/week; jaar 2 wordt eronder gebracht in plaats van verlengd naar 44 weken",
    "outcome_activities": ["Webinarreeks 'Stelsel en financiering'", "Intervisie in vaste trio's (vervolg)"],
}

PARTNERS = {
    "title": "Leren met partners in de wijk",
    "context": (
        "In jaar 2 en 3 leren we steeds vaker samen met partners: scholen, huisartsen, de wijkagent en welzijn. "
        "Hoe zorgen we dat het voor hen ook iets oplevert, en niet alleen tijd kost?"
    ),
    "invited": ["meedenker", "directeur", "tm02", "tm06", "tm10"],
    "questions": [
        "Met welke partner in jouw wijk zou je als eerste samen willen leren, en waarover?",
        "Wat vraagt samen leren van een partner, en wat kunnen wij hen teruggeven?",
    ],
    "proposals": [
        (
            "Nodig per wijk één vaste partner uit voor de wijkschouw",
            "Een vaste partner bouwt met ons een beeld van de wijk op over twee jaar, in plaats van steeds "
            "nieuwe gezichten. Het kost de partner twee dagdelen per jaar.",
        ),
        (
            "Maak van het wijknetwerkoverleg één keer per kwartaal een leermoment",
            "Het overleg is er al; één keer per kwartaal bespreken we dan een casus samen in plaats van de "
            "agenda af te werken. Dat kost niemand extra tijd.",
        ),
    ],
    "answers": [
        (
            1,
            "tm02",
            "De huisartsen: zij zien gezinnen vaak eerder dan wij. Samen leren over vroeg signaleren.",
            [("directeur", "Daar ligt ook een afspraak met de gemeente onder; ik neem het mee in het regieoverleg.")],
            3,
        ),
        (2, "directeur", "Tijd vooral. Teruggeven kunnen we een kortere lijn als het spannend wordt.", [], 2),
    ],
    "reactions": {1: [("tm06", "agree", "")], 2: [("tm06", "agree", ""), ("tm02", "abstain", "")]},
}


def _dialogue(programme: Programme, data: dict, users: dict, **fields) -> Dialogue:
    dialogue, _created = Dialogue.objects.update_or_create(
        programme=programme, title=data["title"], defaults={"context": data["context"], **fields}
    )
    for order, text in enumerate(data["questions"], start=1):
        Question.objects.update_or_create(dialogue=dialogue, order=order, defaults={"text": text})
    for order, (title, reasoning) in enumerate(data["proposals"], start=1):
        Proposal.objects.update_or_create(
            dialogue=dialogue, order=order, defaults={"title": title, "reasoning": reasoning}
        )
    for username in data["invited"]:
        if username in users:
            Invitation.objects.get_or_create(
                dialogue=dialogue, user=users[username], defaults={"invited_at": dialogue.created_at}
            )
    questions = {q.order: q for q in dialogue.questions.all()}
    now = timezone.now()
    for number, author, text, replies, days_ago in data["answers"]:
        if author not in users:
            continue
        at = now - timedelta(days=days_ago)
        answer, _created = Answer.objects.get_or_create(
            question=questions[number],
            author=users[author],
            parent=None,
            text=text,
            defaults={"created_at": at, "language": "nl"},
        )
        for hours, (reply_author, reply_text) in enumerate(replies, start=1):
            if reply_author in users:
                Answer.objects.get_or_create(
                    question=questions[number],
                    author=users[reply_author],
                    parent=answer,
                    text=reply_text,
                    defaults={"created_at": answer.created_at + timedelta(hours=5 * hours), "language": "nl"},
                )
    proposals = {p.order: p for p in dialogue.proposals.all()}
    for number, reactions in data["reactions"].items():
        for author, kind, reason in reactions:
            if author in users:
                Reaction.objects.update_or_create(
                    proposal=proposals[number], author=users[author], defaults={"kind": kind, "reason": reason}
                )
    return dialogue


@transaction.atomic
def seed(programme: Programme) -> dict[str, Dialogue]:
    """The closed study-load dialogue and the open partners dialogue. Side effects: rows only, no e-mail."""
    users = {user.username: user for user in get_user_model().objects.filter(memberships__programme=programme)}
    facilitator = users.get(FACILITATOR)
    today = timezone.localdate()
    now = timezone.now()

    guardrail = Guardrail.objects.filter(programme=programme, metric=Metric.STUDY_LOAD).order_by("pk").first()
    year2 = programme.years.filter(number=2).first()
    study_load = _dialogue(
        programme,
        STUDY_LOAD,
        users,
        guardrail=guardrail,
        year=year2,
        closes_on=today - timedelta(days=10),
        created_at=now - timedelta(days=24),
        created_by=facilitator,
        closed_at=now - timedelta(days=9),
        closed_by=facilitator,
        outcome=STUDY_LOAD["outcome"],
        outcome_guardrail=guardrail,
        outcome_change=STUDY_LOAD["outcome_change"] if guardrail else "",
    )
    changed = list(Activity.objects.filter(year=year2, title__in=STUDY_LOAD["outcome_activities"])) if year2 else []
    if len(changed) < len(STUDY_LOAD["outcome_activities"]) and year2:
        # The demo design was edited: link the first activities of year 2 instead.
        changed = list(year2.activities.order_by("order", "pk")[: len(STUDY_LOAD["outcome_activities"])])
    study_load.outcome_activities.set(changed)

    partners = _dialogue(
        programme,
        PARTNERS,
        users,
        year=year2,
        closes_on=today + timedelta(days=10),
        created_at=now - timedelta(days=4),
        created_by=facilitator,
        closed_at=None,
        closed_by=None,
        outcome="",
    )
    return {"study_load": study_load, "partners": partners}
