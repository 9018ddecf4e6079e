"""Development-only demo data: a fictional organisation, one programme and its people.

The case is modelled on the seed texts (team managers of neighbourhood teams for youth
and families designing their own three-year learning programme), with invented names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from brochure import demo as demo_brochure
from dialogues import demo as demo_dialogues
from guardrails.adoption import adopt_result
from guardrails.models import Guardrail, Kind, SoftAssessment, Subgroup
from programmes.models import (
    Activity,
    LearningType,
    Membership,
    Modality,
    Organisation,
    Programme,
    Role,
    Stage,
    WithWhom,
    WorkplaceAnchor,
    Year,
)
from workshops.demo import captures as demo_captures
from workshops.demo import impact as demo_impact
from workshops.demo import inventory as demo_inventory
from workshops.demo import relay as demo_relay
from workshops.demo import sessions as demo_sessions
from workshops.models import DesignSession, Participant, PollAnswer, PollQuestion, QuestionState, SessionKind
from workshops.presets import presets

DEMO_PASSWORD = "estafette-demo"  # noqa: S105 - published demo password, development only
DEMO_URL = "http://127.0.0.1:8000/"
ORGANISATION_NAME = "Wijkteams Lindenstad – jeugd en gezin"
PROGRAMME_SLUG = "demo"

LT = LearningType
MO = Modality
PEERS, OWN_TEAM, PARTNERS, DIRECTOR, EXPERTS = (
    WithWhom.PEERS.value,
    WithWhom.OWN_TEAM.value,
    WithWhom.PARTNERS.value,
    WithWhom.DIRECTOR_POLICY.value,
    WithWhom.EXTERNAL_EXPERTS.value,
)


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str  # a Role value, or "" for the site admin (no membership)


PEOPLE: tuple[Person, ...] = (
    Person("admin", "Site", "Beheerder", ""),
    Person("anouk", "Anouk", "de Vries", Role.FACILITATOR),
    Person("joost", "Joost", "Kramer", Role.FACILITATOR),
    Person("directeur", "Marieke", "Verhoef", Role.DIRECTOR),
    Person("tm01", "Fatima", "El Amrani", Role.TEAM_MANAGER),
    Person("tm02", "Bas", "Jansen", Role.TEAM_MANAGER),
    Person("tm03", "Ingrid", "Smit", Role.TEAM_MANAGER),
    Person("tm04", "Sander", "Vos", Role.TEAM_MANAGER),
    Person("tm05", "Yvonne", "Bakker", Role.TEAM_MANAGER),
    Person("tm06", "Mehmet", "Yilmaz", Role.TEAM_MANAGER),
    Person("tm07", "Lotte", "Hendriks", Role.TEAM_MANAGER),
    Person("tm08", "Ruben", "de Graaf", Role.TEAM_MANAGER),
    Person("tm09", "Esther", "Mulder", Role.TEAM_MANAGER),
    Person("tm10", "Karim", "Bouzid", Role.TEAM_MANAGER),
    Person("tm11", "Nienke", "Dijkstra", Role.TEAM_MANAGER),
    Person("tm12", "Pieter", "van Leeuwen", Role.TEAM_MANAGER),
    Person("meedenker", "Hans", "Timmermans", Role.CO_THINKER),
)

PROGRAMME = {
    "title": "Samen leren in de wijk",
    "number_of_years": 3,
    "learning_weeks_per_year": 40,
    "stage": Stage.RELAY,
    "ambition": (
        "In drie jaar groeien wij, twaalf teammanagers, van teamleider naar wijkmanager: dichtbij gezinnen, "
        "samen met partners en lerend in ons eigen werk. Gezinnen, collega's en de wijk merken het verschil. "
        "#samenlerenindewijk"
    ),
    "framing": (
        "Mandaat. De functie van teammanager is zwaarder en integraler geworden: naast het sturen van je team "
        "werk je met partners in de wijk aan het vroeg ontmoeten van vraagstukken en agendeer je wat in het "
        "stelsel niet werkt. Jullie krijgen drie jaar om in die rol te groeien, en jullie ontwerpen het "
        "programma zelf, zoals een gezin eigenaar is van zijn eigen plan.\n\n"
        "Kaders. Het leren gebeurt zoveel mogelijk in het werk zelf en niet ernaast. Het budget voor externe "
        "deskundigen is begrensd; de procesbegeleiders ondersteunen het ontwerp en de leerbegeleiding. Het "
        "programma moet naast een volle werkweek uitvoerbaar blijven, ook in drukke periodes.\n\n"
        "Vraag aan de groep. Hoeveel tijd gunnen jullie jezelf? Maak die keuze samen, toets het ontwerp eraan "
        "en kom met een voorstel als het ontwerp erboven uitkomt.\n\n"
        "— Marieke Verhoef, bestuurder"
    ),
}

YEARS = {
    1: {
        "title": "Fundament: van teamleider naar wijkmanager",
        "signature": "We leren elkaar kennen en leggen samen een veilige basis, dicht bij het dagelijks werk.",
        "description": (
            "Het eerste jaar staat in het teken van de nieuwe rol. In vaste intervisietrio's en een leergroep "
            "verkennen de teammanagers wat 'sturen op de bedoeling' betekent, oefenen ze met lastige gesprekken "
            "en brengen ze hun eigen team in beeld. Elk jaar eindigt met een persoonlijk leerplan."
        ),
    },
    2: {
        "title": "Verbinden: over de grenzen van het eigen team",
        "signature": "We stappen de wijk in en experimenteren samen met partners, gemeente en gezinnen.",
        "description": (
            "In het tweede jaar verschuift het leren naar buiten. Met partners in de wijk en de gemeente lopen "
            "experimenten in een driehoek van opdrachtgever, trekker en inhoudelijk ondersteuner. Casuïstiek "
            "over de grenzen van het stelsel wordt samen met partners besproken."
        ),
    },
    3: {
        "title": "Verankeren: leren dat blijft",
        "signature": "Wat we geleerd hebben, wordt van de teams zelf: we borgen, delen en dragen over.",
        "description": (
            "Het derde jaar draait om borgen. De teammanagers begeleiden de leergroepen zelf, maken samen met "
            "hun teams een teamleerplan en toetsen met PQR-redeneringen of het programma doet wat het moet doen. "
            "Het jaar sluit af met een overdracht aan de organisatie."
        ),
    },
}

ANCHORS = {
    "Casuïstiekoverleg": "Het wekelijkse overleg waarin het team gezinssituaties bespreekt en samen weegt.",
    "Teamoverleg": "Het tweewekelijkse overleg van het buurtteam over werkwijze, planning en samenwerking.",
    "Huisbezoek met collega": "Samen met een teamlid op huisbezoek bij een gezin, met tijd om na te bespreken.",
    "Wijknetwerkoverleg": "Het maandelijkse overleg met scholen, huisartsen, wijkagent en welzijn in de wijk.",
    "Managementoverleg teammanagers": "Het tweewekelijkse overleg van alle teammanagers met de bestuurder.",
    "Regieoverleg met de gemeente": "Het kwartaaloverleg met beleidsmakers van de gemeente over het stelsel.",
}


def act(
    title: str,
    description: str,
    learning_type: str,
    modality: str,
    with_whom: list[str],
    hours: tuple[str, str, str],
    occurrences: int,
    anchor: str = "",
    triangle: tuple[str, str, str] = ("", "", ""),
) -> dict:
    """One activity as plain data; `hours` is (contact, preparation/follow-up, extra) per occurrence."""
    contact, prep, extra = hours
    return {
        "title": title,
        "description": description,
        "learning_type": str(learning_type),
        "modality": str(modality),
        "with_whom": with_whom,
        "contact_hours": Decimal(contact),
        "prep_hours": Decimal(prep),
        "extra_hours": Decimal(extra),
        "occurrences": occurrences,
        "anchor": anchor,
        "triangle": triangle,
    }


ACTIVITIES: dict[int, list[dict]] = {
    1: [
        act(
            "Startbijeenkomst: de nieuwe rol",
            "Met de bestuurder de nieuwe functie van teammanager doorlopen: wat verandert er, wat blijft?",
            LT.ACQUISITION,
            MO.FACE_TO_FACE,
            [PEERS, DIRECTOR],
            ("4", "1", "0"),
            1,
        ),
        act(
            "Intervisie in vaste trio's",
            "Elke maand een inbreng uit de eigen praktijk, met de incidentmethode en een vaste rolverdeling.",
            LT.DISCUSSION,
            MO.FACE_TO_FACE,
            [PEERS],
            ("2", "0.5", "0.5"),
            10,
        ),
        act(
            "Leergroep 'Sturen op de bedoeling'",
            "Een leergroep van zes teammanagers werkt met een gastdocent aan sturen vanuit leidende principes.",
            LT.COLLABORATION,
            MO.FACE_TO_FACE,
            [PEERS, EXPERTS],
            ("3", "1", "0"),
            5,
        ),
        act(
            "Kennisclips over het lerende wijkmodel",
            "Korte video's over de drie sporen, partnerschap en taakgerichte financiering; kijken wanneer het uitkomt.",
            LT.ACQUISITION,
            MO.ONLINE_ASYNC,
            [EXPERTS],
            ("0.5", "0.25", "0"),
            8,
        ),
        act(
            "Meeloopdag bij een collega-teammanager",
            "Een dag meelopen in een ander buurtteam en het teamoverleg daar bijwonen; daarna samen terugblikken.",
            LT.INVESTIGATION,
            MO.FACE_TO_FACE,
            [PEERS],
            ("3", "0.5", "1"),
            2,
            anchor="Teamoverleg",
        ),
        act(
            "Casuïstiek inbrengen in het eigen team",
            "Als teammanager zelf een casus inbrengen en oefenen met vragen stellen in plaats van oplossen.",
            LT.PRACTICE,
            MO.FACE_TO_FACE,
            [OWN_TEAM],
            ("1", "0.5", "0.5"),
            6,
            anchor="Casuïstiekoverleg",
        ),
        act(
            "Online leesclub",
            "Samen een artikel of hoofdstuk lezen en in een gedeelde draad reageren op elkaars vragen.",
            LT.DISCUSSION,
            MO.ONLINE_ASYNC,
            [PEERS],
            ("0", "1", "0"),
            6,
        ),
        act(
            "Teamscan: waar staat mijn team?",
            "Met een korte scan (Tuckman-fasen) in beeld brengen waar het eigen team staat en wat het nodig heeft.",
            LT.INVESTIGATION,
            MO.ONLINE_ASYNC,
            [OWN_TEAM],
            ("0", "2", "1"),
            1,
        ),
        act(
            "Oefenen met lastige gesprekken",
            "Met een trainingsacteur oefenen met gesprekken over veiligheid, grenzen en teleurgestelde partners.",
            LT.PRACTICE,
            MO.FACE_TO_FACE,
            [PEERS, EXPERTS],
            ("3", "0.5", "0.5"),
            2,
        ),
        act(
            "Kwartaalgesprek met de bestuurder",
            "Online in gesprek met de bestuurder: wat zien we in de wijken en wat vraagt dat van de organisatie?",
            LT.DISCUSSION,
            MO.ONLINE_SYNC,
            [DIRECTOR, PEERS],
            ("1", "0.5", "0"),
            4,
            anchor="Managementoverleg teammanagers",
        ),
        act(
            "Persoonlijk leerplan",
            "Een eigen leerplan schrijven met twee leervragen, en het delen met het intervisietrio.",
            LT.PRODUCTION,
            MO.ONLINE_ASYNC,
            [PEERS],
            ("0", "3", "0.5"),
            1,
        ),
        act(
            "Jaarreflectie en vlog",
            "Samen terugkijken op het jaar en een vlog opnemen met een vraag aan de groep van jaar twee.",
            LT.PRODUCTION,
            MO.FACE_TO_FACE,
            [PEERS],
            ("2", "1", "0.5"),
            1,
        ),
    ],
    2: [
        act(
            "Experiment 'Vroeg ontmoeten' met wijkpartners",
            "Met scholen en huisartsen uitproberen hoe vragen van gezinnen eerder op tafel komen.",
            LT.COLLABORATION,
            MO.FACE_TO_FACE,
            [PARTNERS, OWN_TEAM],
            ("2", "1", "1"),
            6,
            anchor="Wijknetwerkoverleg",
            triangle=(
                "Marieke Verhoef (bestuurder)",
                "Fatima El Amrani (teammanager)",
                "Anouk de Vries (procesbegeleider)",
            ),
        ),
        act(
            "Wijkschouw met partners",
            "Met partners door de wijk lopen en signalen en vragen van bewoners verzamelen en duiden.",
            LT.INVESTIGATION,
            MO.FACE_TO_FACE,
            [PARTNERS],
            ("3", "0.5", "0.5"),
            2,
            anchor="Wijknetwerkoverleg",
        ),
        act(
            "Intervisie in vaste trio's (vervolg)",
            "De trio's gaan door, nu met inbreng over samenwerking buiten het eigen team.",
            LT.DISCUSSION,
            MO.FACE_TO_FACE,
            [PEERS],
            ("2", "0.5", "0.5"),
            8,
        ),
        act(
            "Webinarreeks 'Stelsel en financiering'",
            "Vier live webinars over inkoop, subsidie en taakgerichte financiering, met ruimte voor vragen.",
            LT.ACQUISITION,
            MO.ONLINE_SYNC,
            [EXPERTS, DIRECTOR],
            ("1.5", "0.5", "0"),
            4,
        ),
        act(
            "Casuïstiek over de grenzen van het stelsel",
            "Casussen waar regels knellen samen met partners bespreken: wat is nodig, en wie kan wat doen?",
            LT.PRACTICE,
            MO.FACE_TO_FACE,
            [OWN_TEAM, PARTNERS],
            ("1.5", "0.5", "0.5"),
            6,
            anchor="Casuïstiekoverleg",
        ),
        act(
            "Experiment 'Ruimte tussen de regels'",
            "Twee teams krijgen ruimte om af te wijken van een werkinstructie; de gemeente kijkt mee.",
            LT.COLLABORATION,
            MO.ONLINE_SYNC,
            [OWN_TEAM, DIRECTOR],
            ("1.5", "0.5", "1"),
            5,
            anchor="Regieoverleg met de gemeente",
            triangle=(
                "Marieke Verhoef (bestuurder)",
                "Sander Vos (teammanager)",
                "Joost Kramer (procesbegeleider)",
            ),
        ),
        act(
            "Dataspiegel duiden",
            "Kwantitatieve en kwalitatieve informatie over de wijk samen lezen en er een eigen duiding bij schrijven.",
            LT.INVESTIGATION,
            MO.ONLINE_ASYNC,
            [OWN_TEAM, DIRECTOR],
            ("0", "2", "1"),
            2,
        ),
        act(
            "Dialoog met beleidsmakers",
            "In het regieoverleg met de gemeente een vraagstuk uit de wijk agenderen en samen verkennen.",
            LT.DISCUSSION,
            MO.FACE_TO_FACE,
            [DIRECTOR, PARTNERS],
            ("2", "1", "0"),
            3,
            anchor="Regieoverleg met de gemeente",
        ),
        act(
            "Asynchrone dialoog met meedenkers",
            "Expliciete vragen uitzetten bij meedenkers van buiten en in eigen tijd op elkaar reageren.",
            LT.DISCUSSION,
            MO.ONLINE_ASYNC,
            [EXPERTS, PEERS],
            ("0", "1", "0"),
            6,
        ),
        act(
            "Huisbezoek samen met een teamlid",
            "Met een teamlid op huisbezoek en daarna nabespreken: wat zag je, wat deed je, wat had het gezin nodig?",
            LT.PRACTICE,
            MO.FACE_TO_FACE,
            [OWN_TEAM],
            ("1.5", "0.5", "1"),
            4,
            anchor="Huisbezoek met collega",
        ),
        act(
            "Experimentlogboek",
            "Na elke experimentstap kort vastleggen wat er gebeurde en wat het team ervan leerde.",
            LT.PRODUCTION,
            MO.ONLINE_ASYNC,
            [PEERS],
            ("0", "0.5", "0"),
            8,
        ),
        act(
            "Oogstbijeenkomst experimenten",
            "De trekkers presenteren hun experimenten; bestuurder en collega's bepalen wat blijft.",
            LT.PRODUCTION,
            MO.FACE_TO_FACE,
            [PEERS, DIRECTOR],
            ("3", "2", "0"),
            1,
            triangle=(
                "Marieke Verhoef (bestuurder)",
                "Lotte Hendriks (teammanager)",
                "Anouk de Vries (procesbegeleider)",
            ),
        ),
    ],
    3: [
        act(
            "Leergroepen onder eigen regie",
            "Teammanagers begeleiden om beurten zelf een leergroep rond een actueel vraagstuk.",
            LT.COLLABORATION,
            MO.FACE_TO_FACE,
            [PEERS],
            ("2", "1", "0.5"),
            6,
        ),
        act(
            "Intervisie in vaste trio's (afronding)",
            "De trio's ronden af en bereiden een overdracht van de werkwijze aan de teams voor.",
            LT.DISCUSSION,
            MO.FACE_TO_FACE,
            [PEERS],
            ("2", "0.5", "0"),
            8,
        ),
        act(
            "Masterclass 'Systeemproblemen agenderen'",
            "Een externe deskundige en een beleidsmaker over hoe je signalen uit de wijk omzet in verandering.",
            LT.ACQUISITION,
            MO.FACE_TO_FACE,
            [EXPERTS, DIRECTOR],
            ("3", "1", "0"),
            2,
        ),
        act(
            "Teamleerplan met het eigen team",
            "Samen met het eigen team een leerplan voor het team maken en het in het teamoverleg bijhouden.",
            LT.PRODUCTION,
            MO.FACE_TO_FACE,
            [OWN_TEAM],
            ("1", "1", "0.5"),
            4,
            anchor="Teamoverleg",
        ),
        act(
            "Experiment 'Borgen in de wijk'",
            "Samen met partners afspraken maken die blijven staan als het programma voorbij is.",
            LT.COLLABORATION,
            MO.ONLINE_SYNC,
            [PARTNERS, DIRECTOR],
            ("1", "0.5", "0.5"),
            4,
            anchor="Wijknetwerkoverleg",
            triangle=(
                "Marieke Verhoef (bestuurder)",
                "Karim Bouzid (teammanager)",
                "Joost Kramer (procesbegeleider)",
            ),
        ),
        act(
            "Wat zeggen gezinnen?",
            "Bij gezinnen en partners quotes ophalen die laten zien of het programma effect heeft.",
            LT.INVESTIGATION,
            MO.FACE_TO_FACE,
            [PARTNERS, OWN_TEAM],
            ("1", "1", "1"),
            3,
            anchor="Huisbezoek met collega",
        ),
        act(
            "Coachend leidinggeven in het teamoverleg",
            "Oefenen met coachend leidinggeven tijdens het eigen teamoverleg, met feedback van een collega.",
            LT.PRACTICE,
            MO.FACE_TO_FACE,
            [OWN_TEAM, PEERS],
            ("1", "0.5", "0.5"),
            5,
            anchor="Teamoverleg",
        ),
        act(
            "Gedeelde kennisbank aanvullen",
            "Werkvormen, casussen en lessen uit drie jaar vastleggen zodat nieuwe teammanagers ze kunnen gebruiken.",
            LT.PRODUCTION,
            MO.ONLINE_ASYNC,
            [PEERS],
            ("0", "1", "0"),
            4,
        ),
        act(
            "Online terugkomsessies",
            "Kort online bijpraten over wat werkt en wat schuurt, met de bestuurder erbij.",
            LT.DISCUSSION,
            MO.ONLINE_SYNC,
            [PEERS, DIRECTOR],
            ("1.5", "0.5", "0"),
            3,
        ),
        act(
            "PQR-redeneringen toetsen",
            "De PQR-redeneringen naast de praktijk leggen: doen we P, met Q, en draagt het bij aan R?",
            LT.INVESTIGATION,
            MO.ONLINE_ASYNC,
            [PEERS, DIRECTOR],
            ("0", "1.5", "0"),
            2,
        ),
        act(
            "Slotbijeenkomst en overdracht",
            "Afsluiting met bestuurder en partners: wat hebben we geleerd en wie neemt wat over?",
            LT.PRODUCTION,
            MO.FACE_TO_FACE,
            [PEERS, DIRECTOR, PARTNERS],
            ("4", "1", "0"),
            1,
        ),
    ],
}


KICKOFF = {
    "title": "Aftrap: ambitie en vangrails",
    "place": "Wijkcentrum De Linde, zaal 2",
    "starts_at": datetime(2026, 9, 14, 13, 30, tzinfo=ZoneInfo("Europe/Amsterdam")),
}
DEMO_JOIN_CODE = "STAD25"
# (preset, answers of the six demo phones, state, results shown)
KICKOFF_POLL = [
    ("hours", [2, 2, 2, 4, 4, 4], QuestionState.CLOSED, True),
    ("face_to_face", [60, 70, 50, 60, 70, 60], QuestionState.CLOSED, True),
    (
        "learning_types",
        [
            {
                "acquisition": 10,
                "investigation": 15,
                "practice": 25,
                "discussion": 25,
                "collaboration": 15,
                "production": 10,
            },
            {
                "acquisition": 20,
                "investigation": 10,
                "practice": 20,
                "discussion": 30,
                "collaboration": 10,
                "production": 10,
            },
            {
                "acquisition": 5,
                "investigation": 20,
                "practice": 30,
                "discussion": 20,
                "collaboration": 20,
                "production": 5,
            },
            {
                "acquisition": 15,
                "investigation": 15,
                "practice": 20,
                "discussion": 25,
                "collaboration": 15,
                "production": 10,
            },
        ],
        QuestionState.OPEN,
        True,
    ),
    (
        "concerns",
        [["werkdruk", "tijd"], ["tijd", "ruimte"], ["werkdruk"], ["focus", "tijd"], ["drukte"]],
        QuestionState.CLOSED,
        True,
    ),
]
SOFT_GUARDRAIL = {
    "name": "Leren is verankerd in het dagelijks werk",
    "description": "Het leren gebeurt zoveel mogelijk in het werk zelf en niet ernaast.",
}
# (name, members, verdict, recommendation)
SUBGROUPS = [
    (
        "Subgroep werkplek",
        ["tm01", "tm02", "tm03", "tm04"],
        "partly",
        "Jaar 1 en 3 zitten goed in het werk; in jaar 2 staan drie losse webinars. Koppel die aan het "
        "casuïstiekoverleg zodat ze in het werk landen.",
    ),
    ("Subgroep samenwerking", ["tm05", "tm06", "tm07", "tm08"], "", ""),
]


class Command(BaseCommand):
    help = (
        "DEVELOPMENT ONLY. Create or update the demo programme (slug 'demo') with a fictional organisation, "
        "three designed years, workplace anchors and demo users (two facilitators, a director, twelve team "
        "managers, a co-thinker and a superuser 'admin'). Idempotent: running it again updates the same rows "
        "and creates no duplicates; anything else in the database is left alone. Every demo user's password "
        f"is reset to '{DEMO_PASSWORD}' on every run, so the demo logins are always predictable."
    )

    def handle(self, *args, **options):
        # Demo content (question texts, option labels) in the app's first language.
        with translation.override("nl"):
            self._seed()

    @transaction.atomic
    def _seed(self):
        organisation, _ = Organisation.objects.get_or_create(name=ORGANISATION_NAME)
        programme, _ = Programme.objects.update_or_create(
            slug=PROGRAMME_SLUG, defaults={"organisation": organisation, **PROGRAMME}
        )
        programme.ensure_years()
        years = {}
        for number, fields in YEARS.items():
            years[number], _ = Year.objects.update_or_create(programme=programme, number=number, defaults=fields)

        anchors = {}
        for name, description in ANCHORS.items():
            anchors[name], _ = WorkplaceAnchor.objects.update_or_create(
                programme=programme, name=name, defaults={"description": description}
            )

        for number, activities in ACTIVITIES.items():
            for order, data in enumerate(activities, start=1):
                fields = dict(data)
                title = fields.pop("title")
                anchor = fields.pop("anchor")
                client, driver, supporter = fields.pop("triangle")
                Activity.objects.update_or_create(
                    year=years[number],
                    title=title,
                    defaults={
                        **fields,
                        "order": order,
                        "anchor": anchors[anchor] if anchor else None,
                        "triangle_client": client,
                        "triangle_driver": driver,
                        "triangle_content_supporter": supporter,
                    },
                )

        # One hash for every demo user keeps the command fast; the password is public anyway.
        password = make_password(DEMO_PASSWORD)
        user_model = get_user_model()
        for person in PEOPLE:
            is_admin = not person.role
            user, _ = user_model.objects.update_or_create(
                username=person.username,
                defaults={
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "email": f"{person.username}@example.org",
                    "is_active": True,
                    "is_staff": is_admin,
                    "is_superuser": is_admin,
                    "password": password,
                },
            )
            if person.role:
                Membership.objects.update_or_create(user=user, programme=programme, defaults={"role": person.role})

        self._seed_kickoff(programme)
        # The rest of the process, in the order it happened: sessions (with the final
        # session's grades), relay groups and hand-overs, the kickoff inventory and
        # ambition drafts, brown-paper photos, impact quotes and PQR reasonings, and the
        # dialogues with co-thinkers, and the brochure versions published along the way.
        for part in (
            demo_sessions,
            demo_relay,
            demo_inventory,
            demo_captures,
            demo_impact,
            demo_dialogues,
            demo_brochure,
        ):
            part.seed(programme)
        self._print_logins(programme)

    def _seed_kickoff(self, programme: Programme) -> None:
        """The kickoff session with its live poll, the guardrails adopted from it, subgroups
        and a soft-guardrail assessment (the seed case: 2,2,2,4,4,4 hours → ≤ 3 h/week)."""
        session, _ = DesignSession.objects.update_or_create(
            programme=programme,
            title=KICKOFF["title"],
            defaults={"kind": SessionKind.KICKOFF, "place": KICKOFF["place"], "starts_at": KICKOFF["starts_at"]},
        )
        if not DesignSession.objects.filter(join_code=DEMO_JOIN_CODE).exclude(pk=session.pk).exists():
            DesignSession.objects.filter(pk=session.pk).update(join_code=DEMO_JOIN_CODE)
        participants = [
            Participant.objects.get_or_create(session=session, token=f"demo-phone-{number}")[0]
            for number in range(1, 7)
        ]
        questions = {}
        all_presets = presets()
        for order, (key, answers, state, visible) in enumerate(KICKOFF_POLL, start=1):
            preset = dict(all_presets[key])
            prompt = preset.pop("prompt")
            question, _ = PollQuestion.objects.update_or_create(
                session=session,
                prompt=prompt,
                defaults={**preset, "order": order, "state": state, "results_visible": visible},
            )
            for participant, value in zip(participants, answers, strict=False):
                PollAnswer.objects.update_or_create(
                    question=question, participant=participant, defaults={"value": value}
                )
            questions[key] = question
        session.current_question = questions["learning_types"]
        session.save(update_fields=["current_question"])

        for key in ("hours", "face_to_face"):
            if not Guardrail.objects.filter(programme=programme, origin_question=questions[key]).exists():
                adopt_result(questions[key])
        soft, _ = Guardrail.objects.update_or_create(
            programme=programme,
            name=SOFT_GUARDRAIL["name"],
            defaults={"kind": Kind.SOFT, "metric": "qualitative", "description": SOFT_GUARDRAIL["description"]},
        )
        users = {user.username: user for user in get_user_model().objects.filter(memberships__programme=programme)}
        for name, usernames, verdict, recommendation in SUBGROUPS:
            subgroup, _ = Subgroup.objects.get_or_create(programme=programme, name=name)
            subgroup.members.set([users[username] for username in usernames])
            if verdict:
                SoftAssessment.objects.update_or_create(
                    guardrail=soft,
                    subgroup=subgroup,
                    defaults={"verdict": verdict, "recommendation": recommendation, "author": users[usernames[0]]},
                )

    def _print_logins(self, programme: Programme) -> None:
        labels = dict(Role.choices)
        rows = [
            (person.username, str(labels[person.role]) if person.role else "site admin (Django admin)")
            for person in PEOPLE
        ]
        width_user = max(len("username"), *(len(u) for u, _ in rows))
        width_role = max(len("role"), *(len(r) for _, r in rows))
        line = f"+-{'-' * width_user}-+-{'-' * width_role}-+-{'-' * len(DEMO_PASSWORD)}-+"
        self.stdout.write(self.style.SUCCESS(f"Demo programme '{programme.title}' ({programme.slug}) is ready."))
        self.stdout.write(line)
        header = f"| {'username':<{width_user}} | {'role':<{width_role}} | {'password':<{len(DEMO_PASSWORD)}} |"
        self.stdout.write(header)
        self.stdout.write(line)
        for username, role in rows:
            self.stdout.write(f"| {username:<{width_user}} | {role:<{width_role}} | {DEMO_PASSWORD} |")
        self.stdout.write(line)
        self.stdout.write(f"Open {DEMO_URL} and log in with one of the accounts above.")
