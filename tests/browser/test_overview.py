"""The programme overview in a real browser: the ambition tweet editor and the language switch."""

from __future__ import annotations

from programmes.models import Programme, Role
from tests.browser.conftest import PHONE
from tests.conftest import make_member, make_programme


def test_ambition_counter_and_save_without_reload(open_as, live_server, django_user_model):
    programme = make_programme("demo")
    facilitator = make_member(django_user_model, programme, Role.FACILITATOR, "anouk")
    page = open_as(facilitator, language="en")
    page.goto(f"{live_server.url}/p/demo/")
    page.evaluate("window.__marker = 'same page'")
    tweet = page.get_by_label("Ambition (tweet)")

    tweet.fill("In three years we learn in our own work, together with the neighbourhood.")
    assert page.locator(".tweet-counter .js-count").inner_text() == "73"
    page.get_by_role("button", name="Save ambition").click()
    page.get_by_text("The ambition is saved.").wait_for()

    assert page.evaluate("window.__marker") == "same page"
    programme.refresh_from_db()
    assert programme.ambition == "In three years we learn in our own work, together with the neighbourhood."


def test_too_long_ambition_is_flagged_and_kept(open_as, live_server, django_user_model):
    programme = make_programme("demo", ambition="Oud")
    facilitator = make_member(django_user_model, programme, Role.FACILITATOR, "anouk")
    page = open_as(facilitator, language="en", viewport=PHONE)
    page.goto(f"{live_server.url}/p/demo/")
    long_text = "Samen leren! " * 23 + "Wij"  # 302 characters

    page.get_by_label("Ambition (tweet)").fill(long_text)
    assert "over" in page.locator(".tweet-counter").get_attribute("class")
    page.get_by_role("button", name="Save ambition").click()
    page.get_by_text("A tweet has at most 280 characters; this one has 302.").wait_for()

    assert page.get_by_label("Ambition (tweet)").input_value() == long_text
    assert Programme.objects.get(pk=programme.pk).ambition == "Oud"
    assert page.js_errors == []


def test_language_switch_in_header(open_as, live_server, django_user_model):
    programme = make_programme("demo")
    manager = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tm01")
    page = open_as(manager, language="nl")
    page.goto(f"{live_server.url}/p/demo/")
    page.get_by_role("heading", name="Ambitie").wait_for()

    page.get_by_label("Taal").select_option("en")

    page.get_by_role("heading", name="Ambition").wait_for()
    assert page.url == f"{live_server.url}/p/demo/"
