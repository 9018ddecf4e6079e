"""Role × URL for the brochure: the rows to merge into tests/test_permissions.py's MATRIX.

The version is released (so every viewing role may read it); the reviewing relay group has no
members among the personas, so nobody here may review it.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from brochure import workflow
from tests.conftest import make_activity
from workshops.models import Capture

ROLES = ["anonymous", "outsider", "co_thinker", "director", "team_manager", "facilitator"]

BROCHURE_MATRIX = {
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
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(BROCHURE_MATRIX))
def test_brochure_role_gets_expected_status(client, request, settings, tmp_path, programme, year1, name, role):
    settings.MEDIA_ROOT = tmp_path
    make_activity(year1)
    Capture.objects.create(
        programme=programme,
        display=ContentFile(b"\xff\xd8", name="d.jpg"),
        thumbnail=ContentFile(b"\xff\xd8", name="t.jpg"),
    )
    version = workflow.release(workflow.publish(programme))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method, data, htmx, statuses = BROCHURE_MATRIX[name]
    kwargs = {"slug": programme.slug}
    if name not in ("brochure", "brochure_publish"):
        kwargs["pk"] = version.pk
    if name == "brochure_photo":
        kwargs["index"] = 0
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = getattr(client, method)(reverse(name, kwargs=kwargs), data or {}, **headers)

    assert response.status_code == statuses[ROLES.index(role)]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
