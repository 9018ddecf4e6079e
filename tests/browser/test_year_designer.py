"""The year designer in a real browser: htmx adds, edits, reorders and deletes inline."""

from __future__ import annotations

from decimal import Decimal

from programmes.models import Activity, Role
from tests.conftest import make_activity, make_member, make_programme


def _designer(open_as, django_user_model, language="nl", viewport=None):
    programme = make_programme("demo", title="Samen leren in de wijk")
    manager = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tm01")
    year = programme.years.get(number=1)
    kwargs = {"language": language}
    if viewport:
        kwargs["viewport"] = viewport
    page = open_as(manager, **kwargs)
    return programme, year, page


def test_add_activity_updates_study_load_without_reload(open_as, live_server, django_user_model):
    _programme, year, page = _designer(open_as, django_user_model)
    make_activity(year, title="Intervisie", contact_hours=Decimal("2"), prep_hours=Decimal("1"), occurrences=10)
    page.goto(f"{live_server.url}/p/demo/years/1/")
    load = page.get_by_test_id("year-hours-per-week")
    assert load.inner_text() == "0,8"  # 30 h over 40 weeks, in Dutch notation
    page.evaluate("window.__marker = 'same page'")

    page.get_by_text("Activiteit toevoegen").click()
    form = page.locator("#new-activity-form")
    form.get_by_label("Titel").fill("Leergroep casuïstiek")
    form.get_by_label("Leertype").select_option("discussion")
    form.get_by_label("Vorm").select_option("face_to_face")
    form.get_by_label("Vakgenoten").check()
    form.get_by_label("Contacturen").fill("2,5")
    form.get_by_label("Voorbereiding en nawerk (uren)").fill("1,5")
    form.get_by_label("Aantal keer").fill("10")
    form.get_by_role("button", name="Toevoegen aan dit jaar").click()

    page.locator("#activity-list").get_by_text("Leergroep casuïstiek").wait_for()
    assert load.inner_text() == "1,8"  # (30 + 40) h / 40 weeks = 1.75
    assert page.evaluate("window.__marker") == "same page"
    assert Activity.objects.filter(year=year, title="Leergroep casuïstiek").count() == 1
    assert page.js_errors == []


def test_bad_input_keeps_typed_values_and_explains(open_as, live_server, django_user_model):
    _programme, _year, page = _designer(open_as, django_user_model, language="en")
    page.goto(f"{live_server.url}/p/demo/years/1/")
    page.get_by_text("Add activity").click()
    form = page.locator("#new-activity-form")
    form.get_by_label("Title").fill("Marathon workshop")
    form.get_by_label("Learning type").select_option("practice")
    form.get_by_label("Modality").select_option("online_sync")
    form.get_by_label("Own team").check()
    form.get_by_label("Contact hours").fill("30")
    form.get_by_label("Preparation & follow-up hours").fill("15")
    form.get_by_label("Occurrences").fill("1")
    form.get_by_role("button", name="Add to this year").click()

    page.get_by_text("one occurrence can take at most 40 hours").wait_for()
    assert page.locator("#new-activity-form").get_by_label("Title").input_value() == "Marathon workshop"
    assert not Activity.objects.filter(title="Marathon workshop").exists()


def test_edit_reorder_and_delete_inline(open_as, live_server, django_user_model):
    _programme, year, page = _designer(open_as, django_user_model, language="en")
    first = make_activity(
        year, title="Kick-off day", occurrences=1, contact_hours=Decimal("6"), prep_hours=Decimal("0")
    )
    second = make_activity(year, title="Peer coaching", occurrences=8)
    page.goto(f"{live_server.url}/p/demo/years/1/")

    page.get_by_role("link", name="Edit “Peer coaching”").click()
    row = page.locator(f"#activity-{second.pk}")
    row.get_by_label("Occurrences").fill("4")
    row.get_by_role("button", name="Save").click()
    page.get_by_test_id("year-hours-per-week").filter(has_text="0.5").wait_for()  # (6 + 12) / 40 = 0.45

    page.locator(f"#up-{second.pk}").focus()
    page.keyboard.press("Enter")
    page.locator("#activity-list > li").first.filter(has_text="Peer coaching").wait_for()
    assert list(year.activities.order_by("order").values_list("title", flat=True)) == ["Peer coaching", "Kick-off day"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Delete “Kick-off day”").click()
    page.locator(f"#activity-{first.pk}").wait_for(state="detached")
    assert not Activity.objects.filter(pk=first.pk).exists()
    assert page.js_errors == []
