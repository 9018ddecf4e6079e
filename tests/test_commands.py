"""The command-line contracts other tooling relies on."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import make_activity


def _study_load_json(slug: str) -> dict:
    out = StringIO()
    call_command("study_load", slug, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_study_load_json_of_the_demo():
    call_command("seed_demo", stdout=StringIO())

    data = _study_load_json("demo")

    assert [(year["number"], year["hours_per_week"]) for year in data["years"]] == [(1, 2.8), (2, 3.4), (3, 2.6)]
    assert data["overall"]["hours_per_week"] == 2.93
    for summary in [*data["years"], data["overall"]]:
        for mix in ("modality", "learning_types", "with_whom", "online"):
            assert sum(summary[mix].values()) == pytest.approx(1.0)


def test_study_load_json_shares_are_hour_weighted(programme, year1):
    make_activity(year1, modality="face_to_face", contact_hours=3, prep_hours=0, occurrences=10)  # 30 h
    make_activity(year1, modality="online_async", contact_hours=1, prep_hours=0, occurrences=10)  # 10 h

    year = _study_load_json(programme.slug)["years"][0]

    assert year["hours_per_week"] == 1.0
    assert year["modality"] == {"face_to_face": 0.75, "online_sync": 0.0, "online_async": 0.25}
    assert year["online"] == {"synchronous": 0.0, "asynchronous": 1.0}


@pytest.mark.django_db
def test_study_load_unknown_slug_is_a_clear_error():
    with pytest.raises(CommandError, match="No programme with slug 'nope'"):
        call_command("study_load", "nope", "--json")
