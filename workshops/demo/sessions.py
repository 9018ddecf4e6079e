"""Demo data for the sessions part: the process from framing talk to final session.

`seed(programme)` is idempotent: sessions are found by title, agenda steps by title
within their session and grades by person, so a second run updates the same rows.
Relay groups are left to the relay part (relay_group stays empty here).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from programmes.models import Activity, Programme, Role
from workshops.models import AgendaStep, DesignSession, FinalGrade, SessionKind

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
KICKOFF_TITLE = "Aftrap: ambitie en vangrails"
TEAM_MANAGERS = [f"tm{number:02d}" for number in range(1, 13)]
FACILITATORS = ["anouk", "joost"]


def _at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=AMSTERDAM)


RELAY_AGENDA = [
    ("Terugblik: vlog van de vorige groep", 15, "Samen kijken naar de vlog en de brochureversie van de vorige groep."),
    ("Estafettevraag beantwoorden", 20, "De vraag die de vorige groep meegaf: wat nemen we mee in ons jaar?"),
    ("Ontwerpen op brown paper", 90, "Activiteiten knippen en plakken: leertype, vorm, met wie en hoeveel uur."),
    ("Toetsen aan de vangrails", 25, "Studielast per week en de mix naast de vangrails leggen; waar schuurt het?"),
    (
        "Vlog opnemen en estafettevraag",
        20,
        "Drie minuten voor de rest van de groep, en één concrete vraag aan de volgende groep.",
    ),
]

# (title, kind, starts_at, place, agenda, notes, attendee usernames, done)
SESSIONS = [
    (
        "Verkennend gesprek met de bestuurder",
        SessionKind.FRAMING,
        _at(9, 1, 10),
        "Kantoor Lindenstad, kamer van de bestuurder",
        [
            ("Kennismaking en aanleiding", 15, "Waarom nu, en waarom de teammanagers zelf laten ontwerpen?"),
            ("Mandaat en kaders", 30, "Wat ligt vast (tijd, budget, functie-eisen) en wat is aan de groep?"),
            ("De vraag aan de groep", 15, "Hoeveel tijd gunnen jullie jezelf? Samen formuleren."),
        ],
        "Afgesproken: drie jaar, leren zoveel mogelijk in het werk. De bestuurder opent de aftrap en is bij "
        "de slotbijeenkomst. De vraag over de tijd leggen we bij de groep.",
        ["anouk", "joost", "directeur"],
        True,
    ),
    (
        KICKOFF_TITLE,
        SessionKind.KICKOFF,
        None,  # the kickoff already exists; seed_demo sets its date and place
        None,
        [
            ("Welkom en kaders", 15, "De bestuurder vertelt over het mandaat; de procesbegeleiders over de werkwijze."),
            ("Ambitie als tweet", 30, "In tweetallen een tweet schrijven, dan samen kiezen en aanscherpen."),
            ("Mentimeter: vangrails", 40, "Live peiling op de telefoon: uren per week, vorm, leertypen, met wie."),
            ("Inventarisatie", 45, "Plakbriefjes: werkplekken om het leren te verankeren, zorgen, uitdagingen."),
            ("Afsluiting en vervolg", 20, "Uitleg van de estafette: wie ontwerpt welk jaar, en wanneer."),
        ],
        "Ambitie gekozen (tweet van Fatima en Bas, aangescherpt). Vangrails vastgesteld: studielast hoogstens "
        "3 uur per week en ongeveer 60% face-to-face. De groep wil vooral met collega-teammanagers leren.",
        [*FACILITATORS, "directeur", *TEAM_MANAGERS],
        True,
    ),
    (
        "Estafette 1: jaar 1 ontwerpen",
        SessionKind.RELAY,
        _at(9, 28, 13, 30),
        "Wijkcentrum De Linde, zaal 2",
        RELAY_AGENDA,
        "Jaar 1 heeft als signatuur 'fundament'. Vraag aan groep 2: hoe zorgen jullie dat het leren niet "
        "naast het werk komt te staan?",
        [*FACILITATORS, *TEAM_MANAGERS[0:4]],
        True,
    ),
    (
        "Estafette 2: jaar 2 ontwerpen",
        SessionKind.RELAY,
        _at(10, 12, 13, 30),
        "Online via Teams",
        RELAY_AGENDA,
        "Jaar 2 gaat de wijk in: experimenten in de driehoek. Studielast kwam boven de 3 uur uit; "
        "meedenkers gevraagd om mee te kijken.",
        [*FACILITATORS, *TEAM_MANAGERS[4:8]],
        True,
    ),
    (
        "Estafette 3: jaar 3 ontwerpen",
        SessionKind.RELAY,
        _at(10, 26, 13, 30),
        "Wijkcentrum De Linde, zaal 2",
        RELAY_AGENDA,
        "Jaar 3 draait om borgen en overdragen. Vraag aan de hele groep: wat moet er blijven als het programma "
        "voorbij is?",
        [*FACILITATORS, *TEAM_MANAGERS[8:12]],
        True,
    ),
    (
        "Slotbijeenkomst: cijfer en toets",
        SessionKind.FINAL,
        _at(11, 23, 13, 0),
        "Stadskantoor, zaal Oudegracht",
        [
            (
                "Cijfer en suggestie",
                20,
                "Iedereen geeft een cijfer tegen de ambitie en één suggestie voor een punt meer.",
            ),
            ("Harde vangrails toetsen", 30, "De studielast per jaar naast de 3 uur per week; waar moet het anders?"),
            (
                "Zachte vangrails in subgroepen",
                45,
                "Elke subgroep beoordeelt een vangrail en komt met een aanbeveling.",
            ),
            ("Impact als quotes", 40, "Wat zeggen gezinnen, partners en collega's als dit werkt? Daarna PQR."),
            ("Afspraken en afsluiting", 15, "Welke suggesties nemen we over, en wie werkt ze uit?"),
        ],
        "Gemiddeld ruim een 7. Twee suggesties direct overgenomen (zie de cijfers); de studielast in jaar 2 "
        "gaat in een dialoog met de meedenkers.",
        [*FACILITATORS, "directeur", *TEAM_MANAGERS],
        True,
    ),
    (
        "Review: brochure versie 3.0",
        SessionKind.REVIEW,
        _at(12, 14, 15, 0),
        "https://teams.example.org/review-brochure",
        [
            ("Wat is er veranderd sinds versie 2.0?", 15, "De wijzigingen uit de slotbijeenkomst langslopen."),
            ("Per jaar: herken je je ontwerp?", 45, "Elke estafettegroep bevestigt of betwist zijn jaar."),
            ("Vrijgeven", 10, "Besluit over het vrijgeven van versie 3.0 aan de hele organisatie."),
        ],
        "",
        [*FACILITATORS, *TEAM_MANAGERS],
        False,
    ),
]

# (username, grade, suggestion, change note when adopted, activity title linked to the change)
GRADES = [
    (
        "tm01",
        8,
        "Koppel de webinars over stelsel en financiering in jaar 2 aan het casuïstiekoverleg, "
        "zodat we de stof meteen op een echte casus toepassen.",
        "De webinars krijgen elk een vervolg in het casuïstiekoverleg van de week erna; de voorbereiding is "
        "korter gemaakt.",
        "Webinarreeks 'Stelsel en financiering'",
    ),
    (
        "tm02",
        7,
        "Plan de intervisietrio's vast in de agenda voor het hele jaar, op dezelfde dag als het "
        "managementoverleg, dan valt er minder uit.",
        "",
        "",
    ),
    (
        "tm03",
        6,
        "Jaar 2 is te vol: schrap één experiment of maak het experimentlogboek korter, dan blijven "
        "we onder de 3 uur per week.",
        "",
        "",
    ),
    (
        "tm04",
        7,
        "Laat de meeloopdag ook bij een partnerorganisatie in de wijk kunnen, bijvoorbeeld bij "
        "de school of de huisarts.",
        "",
        "",
    ),
    (
        "tm05",
        8,
        "Voeg in jaar 1 een korte terugkoppeling van de teamscan aan het eigen team toe, zodat "
        "het team ook ziet wat ermee gebeurt.",
        "",
        "",
    ),
    (
        "tm06",
        7,
        "Zet de kennisclips ook als podcast online; die luister ik in de auto tussen twee huisbezoeken.",
        "",
        "",
    ),
    (
        "tm07",
        6,
        "Geef de bestuurder een vaste rol in de wijkschouw in jaar 2, dan horen beleid en praktijk hetzelfde verhaal.",
        "",
        "",
    ),
    (
        "tm08",
        8,
        "Maak van de online leesclub een tweewekelijkse lunchsessie van een half uur; "
        "asynchroon lezen schiet er bij mij steeds bij in.",
        "De leesclub wordt een online lunchsessie van 30 minuten om de twee weken, met het artikel vooraf.",
        "Online leesclub",
    ),
    (
        "tm09",
        9,
        "Nodig in jaar 3 een teammanager uit een andere stad uit bij de slotbijeenkomst, om "
        "onze borging van buitenaf te laten toetsen.",
        "",
        "",
    ),
    (
        "tm10",
        7,
        "Spreek per experiment vooraf af wanneer het stopt en wie besluit, zodat experimenten niet blijven doorlopen.",
        "",
        "",
    ),
    (
        "tm11",
        6,
        "Reserveer in elk jaar een week zonder programma-activiteiten rond de zomer, zodat "
        "we kunnen bijkomen en inhalen.",
        "",
        "",
    ),
    (
        "tm12",
        7,
        "Laat iedere teammanager in jaar 3 één werkvorm uit het programma zelf begeleiden in het eigen team.",
        "",
        "",
    ),
]


def _agenda(session: DesignSession, steps: list[tuple[str, int, str]]) -> None:
    for order, (title, minutes, description) in enumerate(steps, start=1):
        AgendaStep.objects.update_or_create(
            session=session, title=title, defaults={"order": order, "minutes": minutes, "description": description}
        )


def seed(programme: Programme) -> None:
    """Sessions with agendas, notes and attendees, and the final session's grades.

    Side effects: creates or updates rows of DesignSession, AgendaStep and FinalGrade in
    `programme`; leaves everything else alone."""
    users = {user.username: user for user in get_user_model().objects.filter(memberships__programme=programme)}
    final = None
    for title, kind, starts_at, place, steps, notes, attendees, done in SESSIONS:
        fields = {"kind": kind, "notes": notes}
        if starts_at is not None:
            fields.update(starts_at=starts_at, place=place)
        session, _ = DesignSession.objects.update_or_create(programme=programme, title=title, defaults=fields)
        _agenda(session, steps)
        session.attendees.set([users[name] for name in attendees if name in users])
        if done and session.starts_at is not None:
            minutes = sum(minutes for _title, minutes, _description in steps)
            session.started_at = session.starts_at
            session.finished_at = session.starts_at + timedelta(minutes=minutes)
            session.current_step = None
            session.step_started_at = None
            session.save(update_fields=["started_at", "finished_at", "current_step", "step_started_at"])
        if kind == SessionKind.FINAL:
            final = session
    if final is not None:
        _grades(programme, final, users)


def _grades(programme: Programme, session: DesignSession, users: dict) -> None:
    activities = {activity.title: activity for activity in Activity.objects.filter(year__programme=programme)}
    team_managers = set(programme.memberships.filter(role=Role.TEAM_MANAGER).values_list("user__username", flat=True))
    for username, grade, suggestion, change_note, activity_title in GRADES:
        if username not in team_managers:
            continue
        FinalGrade.objects.update_or_create(
            session=session,
            user=users[username],
            defaults={
                "grade": grade,
                "suggestion": suggestion,
                "adopted": bool(change_note),
                "change_note": change_note,
                "change_activity": activities.get(activity_title),
            },
        )
