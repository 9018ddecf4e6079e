"""Demo data for the relay: three groups of four team managers, one year each, and their
hand-overs (vlog links, baton questions and answers).

`seed(programme)` is idempotent: groups are found by name, hand-overs by group. The relay
sessions (kind "relay", made by the sessions part) are linked to the groups in date order
when they exist, and left alone when they don't.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from programmes.models import Programme
from workshops.models import DesignSession, Handover, RelayGroup, SessionKind

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# (name, year number and order, members, vlog link, question by, question, answer by, answer, answered at)
GROUPS = [
    (
        "Groep 1",
        1,
        ["tm01", "tm02", "tm03", "tm04"],
        "https://video.example.org/estafette/groep-1",
        "tm01",
        "Wij hebben jaar 1 zo veel mogelijk in het werk gelegd: intervisie, casuïstiek in het eigen team, "
        "meelopen bij elkaar. Hoe zorgen jullie dat het leren in jaar 2 niet náást het werk komt te staan, "
        "nu jullie de wijk in gaan?",
        "tm05",
        "Bijna elke activiteit hangt aan een overleg dat er al is: het wijknetwerkoverleg, het "
        "casuïstiekoverleg en het regieoverleg met de gemeente. De experimenten lopen in de driehoek mee in "
        "het gewone werk; alleen de oogstbijeenkomst komt erbij.",
        datetime(2026, 10, 12, 13, 55, tzinfo=AMSTERDAM),
    ),
    (
        "Groep 2",
        2,
        ["tm05", "tm06", "tm07", "tm08"],
        "https://video.example.org/estafette/groep-2",
        "tm05",
        "Onze studielast komt boven de 3 uur per week uit, vooral door de experimenten. Welke activiteit "
        "nemen jullie in jaar 3 over in het gewone werk, zodat het totaal binnen de vangrail blijft?",
        "tm09",
        "De leergroepen nemen we zelf onder regie, in de tijd van het managementoverleg, en de masterclass "
        "doen we twee keer in plaats van vier. Het experiment 'Borgen in de wijk' loopt via het "
        "wijknetwerkoverleg, dus zonder extra bijeenkomsten.",
        datetime(2026, 10, 26, 13, 50, tzinfo=AMSTERDAM),
    ),
    (
        "Groep 3",
        3,
        ["tm09", "tm10", "tm11", "tm12"],
        "https://video.example.org/estafette/groep-3",
        "tm09",
        "Wij zijn de laatste groep, dus onze vraag is voor iedereen: wat moet er blijven als het programma "
        "over drie jaar voorbij is, en wie let daarop?",
        # The last question goes to the whole group; the facilitators recorded the answer at the final session.
        "anouk",
        "In de slotbijeenkomst genoemd: de intervisietrio's, het teamleerplan en de gedeelde kennisbank "
        "blijven. De bestuurder neemt de leergroepen op in de jaarplanning; Anouk en Joost dragen de "
        "werkvormen over aan het opleidingsteam.",
        datetime(2026, 11, 23, 14, 20, tzinfo=AMSTERDAM),
    ),
]


def seed(programme: Programme) -> None:
    """Create or update the demo relay groups and hand-overs of `programme`, and link its relay
    sessions to them. Side effects: writes rows; never deletes any."""
    users = {user.username: user for user in get_user_model().objects.filter(memberships__programme=programme)}
    years = {year.number: year for year in programme.years.all()}
    groups = []
    for name, number, members, link, asked_by, question, answered_by, answer, answered_at in GROUPS:
        if number not in years:
            continue
        group, _ = RelayGroup.objects.update_or_create(
            programme=programme, name=name, defaults={"year": years[number], "order": number}
        )
        group.members.set([users[username] for username in members if username in users])
        handover, _ = Handover.objects.get_or_create(group=group)
        if not handover.vlog_file:  # a video uploaded while trying the demo stays; a vlog is one or the other
            handover.vlog_link = link
        handover.question = question
        handover.question_by = users.get(asked_by)
        handover.answer = answer
        handover.answer_by = users.get(answered_by)
        handover.answered_at = answered_at
        handover.save()
        groups.append(group)

    sessions = DesignSession.objects.filter(programme=programme, kind=SessionKind.RELAY).order_by("starts_at", "pk")
    for session, group in zip(sessions, groups, strict=False):
        if session.relay_group_id != group.pk:
            session.relay_group = group
            session.save(update_fields=["relay_group"])
