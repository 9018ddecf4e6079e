"""Demo content of the impact quotes and PQR reasonings (Dutch, invented).

`seed(programme)` adds eight quotes of what families, partners, colleagues and the
director will say when the programme works, and three PQR reasonings built from them.
Running it again changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from programmes.models import Programme
from workshops.models import DesignSession, ImpactQuote, Reasoning, SessionKind, Speaker

# (key, speaker, who exactly, quote, written by)
QUOTES: list[tuple[str, str, str, str, str]] = [
    (
        "one-story",
        Speaker.FAMILIES,
        "Moeder van drie kinderen in Overvecht",
        "Ik hoefde mijn verhaal maar één keer te vertellen; school en buurtteam wisten van elkaar wat ze deden.",
        "tm01",
    ),
    (
        "early",
        Speaker.FAMILIES,
        "Vader van een dochter van vijftien",
        "Ze kwamen al langs voordat het echt misging, en ze vroegen wat wíj nodig hadden.",
        "tm05",
    ),
    (
        "at-the-table",
        Speaker.PARTNERS,
        "Intern begeleider van basisschool De Regenboog",
        "Het buurtteam zit bij ons aan tafel voordat wij een zorgmelding hoeven te doen.",
        "tm09",
    ),
    (
        "feedback",
        Speaker.PARTNERS,
        "Huisarts in de wijk",
        "Als ik iets zie, weet ik wie ik in het buurtteam kan bellen, en ik hoor altijd hoe het verder ging.",
        "tm02",
    ),
    (
        "needs-first",
        Speaker.COLLEAGUES,
        "Gezinswerker in het buurtteam",
        "Mijn teammanager vraagt eerst wat het gezin nodig heeft, niet wat de regels zeggen.",
        "tm07",
    ),
    (
        "team-learns",
        Speaker.COLLEAGUES,
        "Jeugdverpleegkundige in het team",
        "In het teamoverleg bespreken we wat we geleerd hebben, niet alleen de planning.",
        "tm12",
    ),
    (
        "agenda",
        Speaker.DIRECTOR,
        "Marieke Verhoef, bestuurder",
        "De teammanagers brengen knelpunten uit het stelsel zelf bij de gemeente op tafel, met voorbeelden uit "
        "de wijk.",
        "directeur",
    ),
    (
        "seek-each-other",
        Speaker.DIRECTOR,
        "Marieke Verhoef, bestuurder",
        "Ik zie teammanagers die elkaar opzoeken en van elkaar leren, ook als niemand het organiseert.",
        "directeur",
    ),
]

# (P, Q, R, keys of the quotes it is built from, written by)
REASONINGS: list[tuple[str, str, str, list[str], str]] = [
    (
        "leren in vaste intervisietrio's en in het eigen teamoverleg",
        "elke maand een casus uit de eigen praktijk inbrengen en samen onderzoeken",
        "teammanagers die sturen op wat gezinnen nodig hebben in plaats van op de regels",
        ["needs-first", "team-learns", "seek-each-other"],
        "anouk",
    ),
    (
        "samen met partners experimenteren met vroeg ontmoeten",
        "experimenten in een driehoek van opdrachtgever, trekker en inhoudelijk ondersteuner",
        "gezinnen die eerder en met één verhaal geholpen worden",
        ["one-story", "early", "at-the-table", "feedback"],
        "anouk",
    ),
    (
        "knelpunten uit de wijk agenderen bij de gemeente",
        "een vaste plek in het regieoverleg, voorbereid met de dataspiegel en casussen",
        "een stelsel dat meebeweegt met wat er in de wijk nodig is",
        ["agenda"],
        "joost",
    ),
]


@transaction.atomic
def seed(programme: Programme) -> None:
    """Add the demo quotes and PQR reasonings to `programme`. Idempotent: quotes are
    looked up by their text and reasonings by their P before they are created."""
    users = {user.username: user for user in get_user_model().objects.filter(memberships__programme=programme)}
    final = DesignSession.objects.filter(programme=programme, kind=SessionKind.FINAL).order_by("pk").first()
    quotes = {}
    for key, speaker, detail, text, author in QUOTES:
        quotes[key], _ = ImpactQuote.objects.get_or_create(
            programme=programme,
            text=text,
            defaults={"speaker": speaker, "speaker_detail": detail, "author": users.get(author), "session": final},
        )
    for p, q, r, keys, author in REASONINGS:
        reasoning, _ = Reasoning.objects.get_or_create(
            programme=programme, p=p, defaults={"q": q, "r": r, "author": users.get(author)}
        )
        reasoning.quotes.add(*(quotes[key] for key in keys))
