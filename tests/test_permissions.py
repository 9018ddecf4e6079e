"""Role × URL: every named URL of the project, every role, the exact status code.

The table must name every URL pattern the resolver knows (admin aside, which guards
itself), so a new URL without a row here fails `test_matrix_covers_every_url`.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse

from brochure import workflow
from dialogues.models import Invitation
from dialogues.testing import make_dialogue
from guardrails.models import Guardrail, Subgroup
from programmes.models import Role, WorkplaceAnchor
from tests.conftest import make_activity, make_member
from workshops.models import (
    AgendaStep,
    AmbitionDraft,
    Capture,
    DesignSession,
    FinalGrade,
    Handover,
    ImpactQuote,
    InventoryCard,
    PollQuestion,
    Reasoning,
    RelayGroup,
)

ROLES = ["anonymous", "outsider", "co_thinker", "director", "team_manager", "facilitator"]

# name: (method, data, htmx, {role: status}) — statuses in ROLES order.
MATRIX = {
    "dashboard": ("get", None, False, [302, 200, 200, 200, 200, 200]),
    "programme_overview": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "ambition_edit": ("post", {"ambition": "Samen leren"}, False, [302, 404, 404, 403, 403, 302]),
    "framing_edit": ("get", None, False, [302, 404, 404, 200, 403, 200]),
    "programme_settings": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "programme_export": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    # importing needs a facilitator role somewhere (the outsider is one in another programme)
    "programme_import": ("get", None, False, [302, 200, 403, 403, 403, 200]),
    "anchors": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "anchor_delete": ("post", {}, False, [302, 404, 404, 403, 302, 302]),
    "year_designer": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "year_edit": ("get", None, False, [302, 404, 404, 403, 200, 200]),
    "activity_new": ("get", None, False, [302, 404, 404, 403, 200, 200]),
    "activity_row": ("get", None, True, [302, 404, 404, 200, 200, 200]),
    "activity_edit": ("get", None, False, [302, 404, 404, 403, 200, 200]),
    "activity_delete": ("get", None, False, [302, 404, 404, 403, 200, 200]),
    "activity_move": ("post", {"direction": "up"}, False, [302, 404, 404, 403, 302, 302]),
    "login": ("get", None, False, [200, 302, 302, 302, 302, 302]),
    "logout": ("post", {}, False, [302, 302, 302, 302, 302, 302]),
    "password_change": ("get", None, False, [302, 200, 200, 200, 200, 200]),
    "password_change_done": ("get", None, False, [302, 200, 200, 200, 200, 200]),
    "set_language": ("post", {"language": "en", "next": "/"}, False, [302, 302, 302, 302, 302, 302]),
    "healthz": ("get", None, False, [200, 200, 200, 200, 200, 200]),
    # guardrails
    "guardrail_board": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "guardrail_new": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "guardrail_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "guardrail_delete": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "assessment_new": ("post", {}, False, [302, 404, 404, 403, 200, 200]),
    "subgroups": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "subgroup_delete": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    # sessions and the live poll (facilitator side)
    "sessions": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "poll_control": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "question_new": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "question_preset": ("post", {"preset": "hours"}, False, [302, 404, 404, 403, 403, 302]),
    "session_next": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "session_joining": ("post", {"joinable": "0"}, False, [302, 404, 404, 403, 403, 302]),
    "question_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "question_delete": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "question_action": ("post", {"action": "open"}, False, [302, 404, 404, 403, 403, 302]),
    "adopt": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "projector": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "projector_live": ("get", None, True, [302, 404, 404, 403, 403, 200]),
    # participants on their phones: no account, the join code is the key
    "join": ("get", None, False, [200, 200, 200, 200, 200, 200]),
    "participate": ("get", None, False, [200, 200, 200, 200, 200, 200]),
    "participant_current": ("get", None, True, [200, 200, 200, 200, 200, 200]),
    "join_qr": ("get", None, False, [200, 200, 200, 200, 200, 200]),
    "vote": ("post", {"value": "3"}, False, [302, 302, 302, 302, 302, 302]),
    # sessions, agenda, session mode, final session
    "session_detail": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "session_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "session_delete": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "agenda_step_new": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "agenda_step_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "agenda_step_delete": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "agenda_step_move": ("post", {"direction": "up"}, False, [302, 404, 404, 403, 403, 302]),
    "session_mode": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "session_mode_live": ("get", None, True, [302, 404, 404, 403, 403, 200]),
    "session_step": ("post", {"action": "start"}, False, [302, 404, 404, 403, 403, 302]),
    "final_session": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "grade_adopt": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    # kickoff inventory and ambition drafts (phones use the join code)
    "inventory": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "card_new": ("post", {"lane": "concerns", "text": "Werkdruk"}, False, [302, 404, 404, 403, 302, 302]),
    "card_vote": ("post", {}, False, [302, 404, 404, 302, 302, 302]),
    "card_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "card_delete": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "card_to_anchor": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "phone_cards": ("get", None, False, [200, 200, 200, 200, 200, 200]),
    "phone_card_vote": ("post", {}, False, [302, 302, 302, 302, 302, 302]),
    "ambition_drafts": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "ambition_vote": ("post", {}, False, [302, 404, 404, 302, 302, 302]),
    "ambition_choose": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    # impact quotes and PQR reasonings
    "impact": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "quote_new": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "quote_edit": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "quote_delete": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "reasoning_new": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "reasoning_edit": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "reasoning_delete": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    # relay (the team manager persona is in no relay group)
    "relay_board": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "relay_groups": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "relay_group_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "relay_group_delete": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "handover_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "handover_answer": ("post", {"answer": "Via het wijknetwerkoverleg."}, False, [302, 404, 404, 403, 403, 302]),
    "vlog": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    # brown-paper captures
    "captures": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "capture_upload": ("post", {}, False, [302, 404, 404, 403, 403, 200]),
    "capture_detail": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "capture_image": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "capture_edit": ("post", {"capture-caption": "Muur"}, False, [302, 404, 404, 403, 403, 302]),
    "capture_brochure": ("post", {"in_brochure": "0"}, False, [302, 404, 404, 403, 403, 302]),
    "capture_delete": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "capture_to_card": ("post", {}, False, [302, 404, 404, 403, 200, 200]),
    "capture_to_activity": ("post", {}, False, [302, 404, 404, 403, 200, 200]),
    # brochure (a released version; the personas are not in its reviewing group)
    "brochure": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "brochure_publish": ("post", {"kind": "minor"}, False, [302, 404, 404, 403, 403, 302]),
    "brochure_version": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "brochure_request_review": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "brochure_release": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "brochure_review": ("post", {"section": "year-1", "verdict": "confirm"}, False, [302, 404, 404, 403, 403, 403]),
    "brochure_resolve": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "brochure_photo": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "brochure_pdf": ("get", None, True, [302, 404, 404, 200, 200, 200]),
    "brochure_pdf_download": ("get", None, False, [302, 404, 404, 302, 302, 302]),
    # dialogues (one dialogue of the programme; only the co_thinker is invited)
    "dialogues": ("get", None, False, [302, 404, 200, 200, 200, 200]),
    "dialogue_new": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "dialogue_detail": ("get", None, False, [302, 404, 200, 404, 404, 200]),
    "dialogue_edit": ("get", None, False, [302, 404, 403, 404, 404, 200]),
    "dialogue_answer": ("post", {}, False, [302, 404, 200, 404, 404, 403]),
    "dialogue_react": ("post", {}, False, [302, 404, 200, 404, 404, 403]),
    "dialogue_close": ("get", None, False, [302, 404, 403, 404, 404, 200]),
    "my_dialogues": ("get", None, False, [302, 200, 200, 200, 200, 200]),
}

PUBLIC = {
    "healthz",
    "login",
    "logout",
    "set_language",
    "join",
    "participate",
    "participant_current",
    "join_qr",
    "vote",
    "phone_cards",
    "phone_card_vote",
}
RELAY = {
    "relay_board",
    "relay_groups",
    "relay_group_edit",
    "relay_group_delete",
    "handover_edit",
    "handover_answer",
    "vlog",
}

# Which object a URL's `pk` means (everything else: the session).
PK_OBJECT = {
    "anchor_delete": "anchor",
    "activity_row": "activity",
    "activity_edit": "activity",
    "activity_delete": "activity",
    "activity_move": "activity",
    "guardrail_edit": "guardrail",
    "guardrail_delete": "guardrail",
    "assessment_new": "guardrail",
    "subgroup_delete": "subgroup",
    "final_session": "final",
    "grade_adopt": "final",
    "quote_edit": "quote",
    "quote_delete": "quote",
    "reasoning_edit": "reasoning",
    "reasoning_delete": "reasoning",
    "relay_group_edit": "group",
    "relay_group_delete": "group",
    "capture_detail": "capture",
    "capture_image": "capture",
    "capture_edit": "capture",
    "capture_brochure": "capture",
    "capture_delete": "capture",
    "capture_to_card": "capture",
    "capture_to_activity": "capture",
    "brochure_version": "version",
    "brochure_request_review": "version",
    "brochure_release": "version",
    "brochure_review": "version",
    "brochure_resolve": "version",
    "brochure_photo": "version",
    "brochure_pdf": "version",
    "brochure_pdf_download": "version",
    "dialogue_detail": "dialogue",
    "dialogue_edit": "dialogue",
    "dialogue_answer": "dialogue",
    "dialogue_react": "dialogue",
    "dialogue_close": "dialogue",
}


def test_matrix_covers_every_url():
    assert {entry.name for entry in _patterns()} == set(MATRIX)


def _kwargs(name: str, objects: dict) -> dict:
    """Fill the URL's parameters from the objects made for the test."""
    pattern = next(entry for entry in _patterns() if entry.name == name)
    values = {
        "slug": objects["programme"].slug,
        "number": 1,
        "code": objects["session"].join_code,
        "pk": objects[PK_OBJECT.get(name, "session")].pk,
        "question_pk": objects["question"].pk,
        "step_pk": objects.get("step") and objects["step"].pk,
        "grade_pk": objects.get("grade") and objects["grade"].pk,
        "card_pk": objects.get("card") and objects["card"].pk,
        "draft_pk": objects.get("draft") and objects["draft"].pk,
        "group_pk": objects.get("group") and objects["group"].pk,
        "size": "thumb",
        "index": 0,
    }
    return {key: values[key] for key in pattern.pattern.regex.groupindex}


def _patterns(resolver=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                yield from _patterns(entry)
        elif entry.name:
            yield entry


def _make_objects(programme, year1, name: str, django_user_model) -> dict:
    session = DesignSession.objects.create(programme=programme, title="Aftrap", kind="kickoff")
    final = DesignSession.objects.create(programme=programme, title="Slot", kind="final")
    grader = make_member(django_user_model, programme, Role.TEAM_MANAGER, "grader")
    objects = {
        "programme": programme,
        "activity": make_activity(year1),
        "anchor": WorkplaceAnchor.objects.create(programme=programme, name="Teamoverleg"),
        "session": session,
        "final": final,
        "question": PollQuestion.objects.create(
            session=session, kind="number", prompt="Uren per week?", minimum=0, maximum=8, step=1, state="open"
        ),
        "guardrail": Guardrail.objects.create(programme=programme, name="Zacht", kind="soft", metric="qualitative"),
        "subgroup": Subgroup.objects.create(programme=programme, name="Subgroep werkplek"),
        "step": AgendaStep.objects.create(session=session, order=1, title="Welkom", minutes=15),
        "grade": FinalGrade.objects.create(
            session=final, user=grader, grade=7, suggestion="Koppel de webinars aan het overleg."
        ),
        "card": InventoryCard.objects.create(session=session, lane="anchors", text="Teamoverleg"),
        "draft": AmbitionDraft.objects.create(programme=programme, text="Samen leren"),
        "quote": ImpactQuote.objects.create(programme=programme, speaker="families", text="Ze kwamen op tijd."),
        "reasoning": Reasoning.objects.create(programme=programme, p="Leren", q="intervisie", r="betere hulp"),
        "dialogue": make_dialogue(programme),
        "capture": Capture.objects.create(
            programme=programme,
            session=session,
            display=ContentFile(b"\xff\xd8", name="d.jpg"),
            thumbnail=ContentFile(b"\xff\xd8", name="t.jpg"),
        ),
    }
    if name.startswith("brochure_"):
        objects["version"] = workflow.release(workflow.publish(programme))
    if name in RELAY:
        # Only for the relay rows: with relay groups, team managers outside them no longer edit years.
        group = RelayGroup.objects.create(programme=programme, name="Groep 1", year=year1, order=1)
        RelayGroup.objects.create(programme=programme, name="Groep 2", year=programme.years.get(number=2), order=2)
        handover = Handover.objects.create(group=group, question="Hoe verankeren we dit?", vlog_kind="mp4")
        handover.vlog_file.save("vlog.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64), save=True)
        objects["group"] = group
    return objects


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_gets_expected_status(
    client, request, settings, tmp_path, django_user_model, programme, year1, name, role
):
    settings.MEDIA_ROOT = tmp_path  # vlog and photo files of the objects below
    objects = _make_objects(programme, year1, name, django_user_model)
    if role != "anonymous":
        user = request.getfixturevalue(role)
        client.force_login(user)
        if role == "team_manager":
            objects["subgroup"].members.add(user)
        if role == "co_thinker":
            Invitation.objects.create(dialogue=objects["dialogue"], user=user)
    method, data, htmx, statuses = MATRIX[name]
    url = reverse(name, kwargs=_kwargs(name, objects))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = getattr(client, method)(url, data, **headers) if data is not None else client.get(url, **headers)

    assert response.status_code == statuses[ROLES.index(role)]
    if response.status_code == 302 and role == "anonymous" and name not in PUBLIC:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["programme_overview", "year_designer", "anchors"])
def test_outsider_sees_no_data_of_another_programme(client, outsider, programme, year1, name):
    make_activity(year1, title="Geheime leergroep")
    client.force_login(outsider)
    url = reverse(name, kwargs={"slug": programme.slug, **({"number": 1} if name == "year_designer" else {})})

    response = client.get(url)

    assert response.status_code == 404
    assert "Geheime leergroep" not in response.content.decode()
