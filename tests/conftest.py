"""Personas and factories shared by every test.

The demo-like programme has one member of each role; `outsider` belongs to another
programme (a facilitator there) and must never see this one.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from programmes.models import Activity, Membership, Organisation, Programme, Role


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    # Tests read English messages unless they switch language themselves.
    settings.LANGUAGE_CODE = "en"


def make_programme(slug: str = "alpha", **fields) -> Programme:
    organisation, _ = Organisation.objects.get_or_create(name="Wijkteams Utrecht")
    programme = Programme.objects.create(
        organisation=organisation, slug=slug, title=fields.pop("title", f"Programme {slug}"), **fields
    )
    programme.ensure_years()
    return programme


def make_activity(year, **fields) -> Activity:
    defaults = {
        "title": "Intervisie",
        "learning_type": "discussion",
        "modality": "face_to_face",
        "with_whom": ["peers"],
        "contact_hours": Decimal("2"),
        "prep_hours": Decimal("1"),
        "extra_hours": Decimal("0"),
        "occurrences": 10,
        "order": year.activities.count() + 1,
    }
    defaults.update(fields)
    return Activity.objects.create(year=year, **defaults)


def make_member(django_user_model, programme, role, username):
    user = django_user_model.objects.create_user(username=username, password="correct horse 42")
    Membership.objects.create(user=user, programme=programme, role=role)
    return user


@pytest.fixture
def programme(db):
    return make_programme("alpha")


@pytest.fixture
def other_programme(db):
    return make_programme("beta")


@pytest.fixture
def facilitator(django_user_model, programme):
    return make_member(django_user_model, programme, Role.FACILITATOR, "fiona")


@pytest.fixture
def team_manager(django_user_model, programme):
    return make_member(django_user_model, programme, Role.TEAM_MANAGER, "tom")


@pytest.fixture
def director(django_user_model, programme):
    return make_member(django_user_model, programme, Role.DIRECTOR, "diana")


@pytest.fixture
def co_thinker(django_user_model, programme):
    return make_member(django_user_model, programme, Role.CO_THINKER, "cora")


@pytest.fixture
def outsider(django_user_model, other_programme):
    return make_member(django_user_model, other_programme, Role.FACILITATOR, "oscar")


@pytest.fixture
def year1(programme):
    return programme.years.get(number=1)
