"""The staged review in a browser: publish, the contributing group confirms, release, the director reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brochure.models import Review, Version
from programmes.models import Role
from tests.conftest import make_activity, make_member, make_programme
from workshops.models import RelayGroup


@pytest.fixture
def setup(django_user_model, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    programme = make_programme("demo-brochure", ambition="Samen leren in de wijk")
    year1 = programme.years.get(number=1)
    make_activity(year1, title="Intervisie")
    people = {
        role: make_member(django_user_model, programme, role, name)
        for role, name in [(Role.FACILITATOR, "fiona"), (Role.TEAM_MANAGER, "tom"), (Role.DIRECTOR, "diana")]
    }
    group = RelayGroup.objects.create(programme=programme, name="Groep 1", year=year1, order=1)
    group.members.add(people[Role.TEAM_MANAGER])
    return programme, people


def test_publish_review_release_read(open_as, live_server, setup):
    programme, people = setup
    brochure_url = live_server.url + reverse("brochure", args=[programme.slug])

    page = open_as(people[Role.FACILITATOR], language="en")
    page.goto(brochure_url)
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("checkbox", name="Groep 1").check()
    page.get_by_role("button", name="Ask these groups to review").click()
    assert page.locator("#version-state").inner_text() == "In review"
    version = Version.objects.get(programme=programme)

    reviewer = open_as(people[Role.TEAM_MANAGER], language="en")
    reviewer.goto(live_server.url + version.get_absolute_url())
    reviewer.locator("#review-year-1").get_by_role("button", name="Confirm: this is what we designed").click()
    assert Review.objects.filter(version=version, section="year-1", verdict="confirm").exists()

    director = open_as(people[Role.DIRECTOR], language="en")
    assert director.goto(live_server.url + version.get_absolute_url()).status == 404

    page.reload()
    page.get_by_role("button", name="Release to everyone").click()
    assert page.locator("#version-state").inner_text() == "Released"

    director.goto(brochure_url)
    assert director.get_by_role("link", name="Version 1.0 is released.").is_visible()
    director.get_by_role("link", name="1.0", exact=True).click()
    assert "Samen leren in de wijk" in director.locator(".cover").inner_text()
    assert page.js_errors == [] and reviewer.js_errors == [] and director.js_errors == []
