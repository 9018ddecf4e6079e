"""Role × URL: every named URL of the project, every role, the exact status code.

The table must name every URL pattern the resolver knows (admin aside, which guards
itself), so a new URL without a row here fails `test_matrix_covers_every_url`.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guardrails.models import Guardrail, Subgroup
from programmes.models import WorkplaceAnchor
from tests.conftest import make_activity
from workshops.models import DesignSession, PollQuestion

ROLES = ["anonymous", "outsider", "co_thinker", "director", "team_manager", "facilitator"]

# name: (method, data, htmx, {role: status}) — statuses in ROLES order.
MATRIX = {
    "dashboard": ("get", None, False, [302, 200, 200, 200, 200, 200]),
    "programme_overview": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "ambition_edit": ("post", {"ambition": "Samen leren"}, False, [302, 404, 404, 403, 403, 302]),
    "framing_edit": ("get", None, False, [302, 404, 404, 200, 403, 200]),
    "programme_settings": ("get", None, False, [302, 404, 404, 403, 403, 200]),
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
}


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from _named_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name


def test_matrix_covers_every_url():
    assert set(_named_patterns()) == set(MATRIX)


def _kwargs(name: str, programme, activity, anchor, objects=None) -> dict:
    objects = objects or {}
    session, question = objects.get("session"), objects.get("question")
    if name in {"participate", "participant_current", "join_qr"}:
        return {"code": session.join_code}
    if name == "vote":
        return {"code": session.join_code, "question_pk": question.pk}
    if name in {"sessions"}:
        return {"slug": programme.slug}
    if name in {
        "poll_control",
        "question_new",
        "question_preset",
        "session_next",
        "session_joining",
        "projector",
        "projector_live",
    }:
        return {"slug": programme.slug, "pk": session.pk}
    if name in {"question_edit", "question_delete", "question_action", "adopt"}:
        return {"slug": programme.slug, "pk": session.pk, "question_pk": question.pk}
    if name in {"guardrail_edit", "guardrail_delete", "assessment_new"}:
        return {"slug": programme.slug, "pk": objects["guardrail"].pk}
    if name == "subgroup_delete":
        return {"slug": programme.slug, "pk": objects["subgroup"].pk}
    if name in {"guardrail_board", "guardrail_new", "subgroups"}:
        return {"slug": programme.slug}
    pattern_kwargs = {
        "programme_overview": {},
        "ambition_edit": {},
        "framing_edit": {},
        "programme_settings": {},
        "anchors": {},
        "anchor_delete": {"pk": anchor.pk},
        "year_designer": {"number": 1},
        "year_edit": {"number": 1},
        "activity_new": {"number": 1},
        "activity_row": {"pk": activity.pk},
        "activity_edit": {"pk": activity.pk},
        "activity_delete": {"pk": activity.pk},
        "activity_move": {"pk": activity.pk},
    }
    if name in pattern_kwargs:
        return {"slug": programme.slug, **pattern_kwargs[name]}
    return {}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_gets_expected_status(client, request, programme, year1, name, role):
    activity = make_activity(year1)
    anchor = WorkplaceAnchor.objects.create(programme=programme, name="Teamoverleg")
    session = DesignSession.objects.create(programme=programme, title="Aftrap")
    objects = {
        "session": session,
        "question": PollQuestion.objects.create(
            session=session, kind="number", prompt="Uren per week?", minimum=0, maximum=8, step=1, state="open"
        ),
        "guardrail": Guardrail.objects.create(programme=programme, name="Zacht", kind="soft", metric="qualitative"),
        "subgroup": Subgroup.objects.create(programme=programme, name="Subgroep werkplek"),
    }
    user = None
    if role != "anonymous":
        user = request.getfixturevalue(role)
        client.force_login(user)
        if role == "team_manager":
            objects["subgroup"].members.add(user)
    method, data, htmx, statuses = MATRIX[name]
    url = reverse(name, kwargs=_kwargs(name, programme, activity, anchor, objects))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = getattr(client, method)(url, data, **headers) if data is not None else client.get(url, **headers)

    assert response.status_code == statuses[ROLES.index(role)]
    public = {"login", "logout", "set_language", "join", "participate", "participant_current", "join_qr", "vote"}
    if response.status_code == 302 and role == "anonymous" and name not in public:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["programme_overview", "year_designer", "anchors"])
def test_outsider_sees_no_data_of_another_programme(client, outsider, programme, year1, name):
    make_activity(year1, title="Geheime leergroep")
    client.force_login(outsider)
    url = reverse(name, kwargs={"slug": programme.slug, **({"number": 1} if name == "year_designer" else {})})

    response = client.get(url)

    assert response.status_code == 404
    assert "Geheime leergroep" not in response.content.decode()
