"""Demo content of the kickoff inventory and the ambition drafts (Dutch, invented).

`seed(programme)` fills the kickoff session "Aftrap: ambitie en vangrails" with sticky
notes in the four lanes (some clustered, some dotted, two linked to activities, one
turned into a workplace anchor) and adds three ambition drafts with votes, the chosen one
being the programme's current ambition. Running it again changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from programmes.models import Activity, Programme, WorkplaceAnchor
from workshops import domain
from workshops.models import (
    AmbitionDraft,
    AmbitionVote,
    CardVote,
    DesignSession,
    InventoryCard,
    Lane,
    Participant,
    SessionKind,
)

KICKOFF_TITLE = "Aftrap: ambitie en vangrails"

A, C, U, F = Lane.ANCHORS, Lane.CONCERNS, Lane.CHALLENGES, Lane.LOOKING_FORWARD

# (lane, text, cluster, written by: a username, or "phone-<n>" for a participant's phone)
CARDS: list[tuple[str, str, str, str]] = [
    (A, "Casuïstiekoverleg", "Bestaande overleggen", "tm01"),
    (A, "Teamoverleg: tien minuten 'wat leerden we deze week?'", "Bestaande overleggen", "tm02"),
    (A, "Het managementoverleg als leerplek, niet alleen voor mededelingen", "Bestaande overleggen", "tm07"),
    (A, "Huisbezoek samen met een teamlid en daarna nabespreken", "Samen in de praktijk", "tm03"),
    (A, "Wijknetwerkoverleg met school, huisarts en wijkagent", "Samen in de praktijk", "phone-1"),
    (A, "Inwerken van nieuwe collega's", "", "tm05"),
    (C, "Waar haal ik de tijd vandaan naast een volle werkweek?", "Tijd en werkdruk", "phone-2"),
    (C, "Bij drukte in het team schiet leren er als eerste bij in", "Tijd en werkdruk", "tm04"),
    (C, "Wordt dit weer een traject dat na een jaar doodbloedt?", "Volhouden", "phone-3"),
    (C, "Durf ik mijn twijfels te laten zien aan collega-teammanagers?", "Veiligheid", "phone-4"),
    (C, "Dat het leren los komt te staan van wat gezinnen nodig hebben", "", "tm06"),
    (C, "Te veel online, te weinig echt contact", "", "phone-5"),
    (U, "Sturen op de bedoeling terwijl de regels knellen", "Rol in het stelsel", "tm08"),
    (U, "Partners meekrijgen in vroeg ontmoeten", "Rol in het stelsel", "tm09"),
    (U, "Van teamleider naar wijkmanager: loslaten wat ik goed kan", "Nieuwe rol", "tm10"),
    (U, "Lastige gesprekken voeren over veiligheid en grenzen", "Nieuwe rol", "phone-6"),
    (U, "Data over de wijk lezen en er iets mee doen", "", "tm11"),
    (U, "Mijn eigen team laten meegroeien met mijn rol", "", "anouk"),
    (F, "Van elkaar leren in vaste intervisietrio's", "Samen met collega's", "tm12"),
    (F, "Meelopen in een ander buurtteam", "Samen met collega's", "tm01"),
    (F, "Samen met partners experimenteren in de wijk", "De wijk in", "tm02"),
    (F, "Gezinnen die merken dat wij beter samenwerken", "De wijk in", "phone-1"),
    (F, "Zelf ons programma ontwerpen in plaats van het krijgen", "", "tm03"),
    (F, "Tijd om echt stil te staan bij wat werkt", "", "joost"),
]

# Card text → the voters who put a dot on it; nobody uses more than five dots.
DOTS: dict[str, list[str]] = {
    "Waar haal ik de tijd vandaan naast een volle werkweek?": ["tm01", "tm02", "tm04", "tm06", "tm09", "phone-2"],
    "Van elkaar leren in vaste intervisietrio's": ["tm01", "tm03", "tm05", "tm07", "tm12", "phone-1"],
    "Huisbezoek samen met een teamlid en daarna nabespreken": ["tm02", "tm03", "tm08", "tm10"],
    "Sturen op de bedoeling terwijl de regels knellen": ["tm04", "tm08", "tm11", "directeur"],
    "Partners meekrijgen in vroeg ontmoeten": ["tm05", "tm09", "directeur"],
    "Samen met partners experimenteren in de wijk": ["tm06", "tm10", "tm12", "phone-3"],
    "Wordt dit weer een traject dat na een jaar doodbloedt?": ["tm07", "tm11", "phone-3", "phone-4"],
    "Casuïstiekoverleg": ["tm01", "tm05", "tm12"],
    "Lastige gesprekken voeren over veiligheid en grenzen": ["tm02", "tm06"],
    "Gezinnen die merken dat wij beter samenwerken": ["directeur", "tm09"],
}

# Card text → the title of the activity it led to.
LINKS: dict[str, str] = {
    "Partners meekrijgen in vroeg ontmoeten": "Experiment 'Vroeg ontmoeten' met wijkpartners",
    "Lastige gesprekken voeren over veiligheid en grenzen": "Oefenen met lastige gesprekken",
}

# The anchors-lane card that has become one of the programme's workplace anchors.
TURNED_INTO_ANCHOR = (
    "Inwerken van nieuwe collega's",
    "Een nieuwe collega loopt de eerste maanden mee met een ervaren teamlid; de teammanager bespreekt wat "
    "het team daarvan leert.",
)

OTHER_DRAFTS: list[tuple[str, str, list[str]]] = [
    (
        "Wij leren waar we werken: in het teamoverleg, op huisbezoek en in de wijk. Over drie jaar sturen we "
        "als wijkmanagers samen met partners op wat gezinnen nodig hebben. #lerenindewijk",
        "tm02",
        ["tm02", "tm05", "tm08", "tm11"],
    ),
    (
        "Twaalf teammanagers, één ambitie: dichter bij gezinnen, sterker met partners en elke maand een stap "
        "verder in onze nieuwe rol. Leren doen we samen, in ons eigen werk.",
        "tm09",
        ["tm09", "tm12"],
    ),
]
CHOSEN_DRAFT_AUTHOR = "tm03"
CHOSEN_DRAFT_VOTERS = ["tm01", "tm03", "tm04", "tm06", "tm07", "tm10", "tm12", "directeur", "anouk"]


def _voter_key(name: str, users: dict, phones: dict) -> str | None:
    if name.startswith("phone-"):
        participant = phones.get(name)
        return f"p{participant.pk}" if participant else None
    user = users.get(name)
    return f"u{user.pk}" if user else None


@transaction.atomic
def seed(programme: Programme) -> None:
    """Add the demo inventory and ambition drafts to `programme`. Idempotent: cards,
    votes, links, the anchor and drafts are looked up before they are created."""
    users = {user.username: user for user in get_user_model().objects.filter(memberships__programme=programme)}
    session = (
        DesignSession.objects.filter(programme=programme, kind=SessionKind.KICKOFF, title=KICKOFF_TITLE).first()
        or DesignSession.objects.filter(programme=programme, kind=SessionKind.KICKOFF).order_by("pk").first()
    )
    if session is not None:
        _seed_inventory(programme, session, users)
    _seed_drafts(programme, session, users)


def _seed_inventory(programme: Programme, session: DesignSession, users: dict) -> None:
    phones = {
        f"phone-{number}": Participant.objects.get_or_create(session=session, token=f"demo-phone-{number}")[0]
        for number in range(1, 7)
    }
    cards = {}
    for lane, text, cluster, writer in CARDS:
        phone = phones.get(writer)
        cards[text], _ = InventoryCard.objects.update_or_create(
            session=session,
            text=text,
            defaults={"lane": lane, "cluster": cluster, "author": users.get(writer), "participant": phone},
        )

    dots_used: dict[str, int] = {}
    for text, voters in DOTS.items():
        for name in voters:
            key = _voter_key(name, users, phones)
            if key is None:
                continue
            dots_used.setdefault(key, CardVote.objects.filter(card__session=session, voter=key).count())
            if CardVote.objects.filter(card=cards[text], voter=key).exists():
                continue
            if domain.can_place_dot(dots_used[key], already_on_card=False):
                CardVote.objects.create(card=cards[text], voter=key)
                dots_used[key] += 1

    for text, title in LINKS.items():
        activity = Activity.objects.filter(year__programme=programme, title=title).first()
        if activity is not None:
            cards[text].activities.add(activity)

    name, description = TURNED_INTO_ANCHOR
    if not WorkplaceAnchor.objects.filter(programme=programme, name__iexact=name).exists():
        WorkplaceAnchor.objects.create(programme=programme, name=name, description=description)


def _seed_drafts(programme: Programme, session: DesignSession | None, users: dict) -> None:
    drafts = [(text, author, voters, False) for text, author, voters in OTHER_DRAFTS]
    if programme.ambition:
        drafts.insert(0, (programme.ambition, CHOSEN_DRAFT_AUTHOR, CHOSEN_DRAFT_VOTERS, True))
    for text, author, voters, chosen in drafts:
        draft, _ = AmbitionDraft.objects.get_or_create(
            programme=programme, text=text, defaults={"author": users.get(author), "session": session}
        )
        for name in voters:
            if name in users:
                AmbitionVote.objects.get_or_create(draft=draft, voter=users[name])
        if chosen:
            AmbitionDraft.objects.filter(programme=programme).exclude(pk=draft.pk).update(chosen_at=None)
            if draft.chosen_at is None:
                draft.chosen_at = timezone.now()
                draft.save(update_fields=["chosen_at"])
