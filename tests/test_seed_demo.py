"""The development demo data: idempotent, varied, and over the 3 h guardrail in year 2 only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from programmes.models import (
    Activity,
    LearningType,
    Membership,
    Modality,
    Organisation,
    Programme,
    Role,
    WithWhom,
    WorkplaceAnchor,
    Year,
)
from programmes.queries import study_load_for

DEMO_PASSWORD = "estafette-demo"
DEMO_USERNAMES = ["admin", "anouk", "joost", "directeur", *(f"tm{n:02d}" for n in range(1, 13)), "meedenker"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "programmes": Programme.objects.count(),
        "years": Year.objects.count(),
        "activities": Activity.objects.count(),
        "anchors": WorkplaceAnchor.objects.count(),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.mark.django_db
def test_running_twice_gives_the_same_data():
    seed()
    first = counts()
    orders = list(Activity.objects.order_by("pk").values_list("pk", "title", "order", "year__number"))
    seed()
    assert counts() == first
    assert list(Activity.objects.order_by("pk").values_list("pk", "title", "order", "year__number")) == orders
    assert first["programmes"] == 1
    assert first["years"] == 3
    assert 33 <= first["activities"] <= 37
    assert first["memberships"] == 16
    assert 5 <= first["anchors"] <= 7
    assert first["users"] == 17


@pytest.mark.django_db
def test_programme_shape():
    seed()
    programme = Programme.objects.get(slug="demo")
    assert programme.number_of_years == 3
    assert programme.learning_weeks_per_year == 40
    assert programme.stage == "relay"
    assert 0 < len(programme.ambition) <= 280
    assert "hoeveel tijd gunnen jullie jezelf?" in programme.framing.lower()
    years = list(programme.years.order_by("number"))
    assert [year.number for year in years] == [1, 2, 3]
    assert len({year.title for year in years}) == 3
    assert all(year.signature and year.description for year in years)
    for year in years:
        orders = list(year.activities.order_by("order").values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1))


@pytest.mark.django_db
def test_every_learning_type_modality_and_group_is_used():
    seed()
    activities = Activity.objects.filter(year__programme__slug="demo")
    assert set(activities.values_list("learning_type", flat=True)) == set(LearningType.values)
    assert set(activities.values_list("modality", flat=True)) == set(Modality.values)
    groups = {group for activity in activities for group in activity.with_whom}
    assert groups == set(WithWhom.values)
    assert activities.filter(anchor__isnull=False).exists()
    assert sum(activity.has_triangle for activity in activities) >= 2
    assert all(1 <= activity.occurrences <= 20 for activity in activities)


@pytest.mark.django_db
def test_year_two_breaches_the_three_hour_guardrail():
    seed()
    years = study_load_for(Programme.objects.get(slug="demo"))["years"]
    assert years[1].hours_per_week <= 3
    assert years[2].hours_per_week > 3
    assert years[3].hours_per_week <= 3


@pytest.mark.django_db
def test_roles_and_logins():
    output = seed()
    programme = Programme.objects.get(slug="demo")
    roles = dict(Membership.objects.filter(programme=programme).values_list("user__username", "role"))
    assert {u for u, r in roles.items() if r == Role.FACILITATOR} == {"anouk", "joost"}
    assert roles["directeur"] == Role.DIRECTOR
    assert roles["meedenker"] == Role.CO_THINKER
    assert sorted(u for u, r in roles.items() if r == Role.TEAM_MANAGER) == [f"tm{n:02d}" for n in range(1, 13)]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not admin.memberships.exists()
    for username in DEMO_USERNAMES:
        assert username in output
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8000/" in output


@pytest.mark.django_db
def test_rerun_resets_a_changed_password():
    seed()
    user = get_user_model().objects.get(username="tm01")
    user.set_password("something else 42")
    user.save()
    seed()
    assert authenticate(username="tm01", password=DEMO_PASSWORD) is not None
