"""Login throttling (django-axes with our lockout page) and the headers on served uploads."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from brochure import pdf, workflow
from brochure.models import Rendering, RenderStatus
from config.security import client_ip
from tests.conftest import make_activity
from workshops.models import Capture

PASSWORD = "juist-wachtwoord-42"
WRONG = "fout-wachtwoord"


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("sanne", password=PASSWORD)


def _login(client, username, password, ip="127.0.0.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def _fail(client, username, times, ip="127.0.0.1", **headers):
    return [_login(client, username, WRONG, ip, **headers) for _ in range(times)]


# --- login throttling -------------------------------------------------------------------------


def test_wrong_password_shows_the_form_error_before_the_lockout(client, member):
    responses = _fail(client, "sanne", 4)

    assert [response.status_code for response in responses] == [200, 200, 200, 200]
    assert "Your username and password did not match" in responses[-1].content.decode()
    assert AccessAttempt.objects.get(username="sanne").failures_since_start == 4


def test_fifth_failure_locks_out_with_our_page(client, member):
    *_earlier, fifth = _fail(client, "sanne", 5)

    page = fifth.content.decode()
    assert fifth.status_code == 429
    assert "registration/lockout.html" in [template.name for template in fifth.templates]
    assert "Too many login attempts" in page
    assert "failed 5 times in a row" in page
    assert "Try again in 60 minutes, after" in page
    assert 'class="navbar-brand' in page  # the site's layout, not a bare text
    assert '<html lang="en">' in page


def test_lockout_page_in_dutch(client, member):
    *_earlier, fifth = _fail(client, "sanne", 5, HTTP_ACCEPT_LANGUAGE="nl")

    page = fifth.content.decode()
    assert fifth.status_code == 429
    assert '<html lang="nl">' in page
    assert "Te veel inlogpogingen" in page
    assert "Probeer het over 60 minuten opnieuw" in page


def test_right_password_is_refused_while_locked_and_allowed_after_reset(client, member):
    _fail(client, "sanne", 5)

    locked = _login(client, "sanne", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    call_command("axes_reset_username", "sanne", verbosity=0)
    allowed = _login(client, "sanne", PASSWORD)
    assert allowed.status_code == 302
    assert allowed["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_axes_reset_unlocks_everyone(client, member):
    _fail(client, "sanne", 5)

    call_command("axes_reset", verbosity=0)

    assert _login(client, "sanne", PASSWORD).status_code == 302


def test_successful_login_resets_the_count(client, member):
    _fail(client, "sanne", 4)
    assert _login(client, "sanne", PASSWORD).status_code == 302
    client.logout()

    after = _fail(client, "sanne", 4)

    assert [response.status_code for response in after] == [200, 200, 200, 200]
    assert _login(client, "sanne", PASSWORD).status_code == 302


def test_lockout_is_per_username_and_address(client, member, django_user_model):
    django_user_model.objects.create_user("joost", password=PASSWORD)
    _fail(client, "sanne", 5, ip="10.0.0.1")

    assert _login(client, "joost", PASSWORD, ip="10.0.0.1").status_code == 302  # other username
    client.logout()
    assert _login(client, "sanne", PASSWORD, ip="10.0.0.2").status_code == 302  # other address
    client.logout()
    assert _login(client, "sanne", PASSWORD, ip="10.0.0.1").status_code == 429


def test_behind_a_proxy_the_lockout_follows_the_forwarded_address(client, member, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy (REMOTE_ADDR 127.0.0.1) appends the real address; what the client wrote is ignored.
    _fail(client, "sanne", 5, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")

    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert _login(client, "sanne", PASSWORD, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7").status_code == 429
    assert _login(client, "sanne", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


@pytest.mark.parametrize(
    ("trust", "count", "forwarded", "expected"),
    [
        (False, 1, "203.0.113.7", "192.0.2.1"),  # no proxy trusted: the header is the client's word
        (True, 1, "", "192.0.2.1"),
        (True, 1, "198.51.100.9, 203.0.113.7", "203.0.113.7"),
        (True, 2, "198.51.100.9, 203.0.113.7, 10.0.0.5", "203.0.113.7"),
        (True, 3, "203.0.113.7", "203.0.113.7"),  # fewer hops than proxies: the left-most there is
    ],
)
def test_client_ip(settings, trust, count, forwarded, expected):
    settings.TRUST_X_FORWARDED_FOR = trust
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


# --- uploads are served with nosniff and a Content-Disposition ----------------------------------


@pytest.fixture
def released(settings, tmp_path, programme, year1):
    settings.MEDIA_ROOT = tmp_path
    make_activity(year1)
    Capture.objects.create(
        programme=programme,
        display=ContentFile(b"\xff\xd8\xff\xe0 brown paper", name="muur-ÿ.jpg"),
        thumbnail=ContentFile(b"\xff\xd8", name="t.jpg"),
    )
    return workflow.release(workflow.publish(programme))


def test_brochure_photo_is_inline_with_our_name(client, director, programme, released):
    client.force_login(director)

    response = client.get(reverse("brochure_photo", args=[programme.slug, released.pk, 0]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{programme.slug}-brochure-1.0-photo-1.jpg"'
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_brochure_pdf_is_an_attachment(client, director, programme, released):
    # A stored rendering as the worker leaves it (rendering the PDF itself is test_brochure's job).
    key = pdf.render_key(released.snapshot, "brochure", "en")
    rendering = Rendering.objects.create(version=released, kind="brochure", key=key, status=RenderStatus.DONE)
    rendering.file.save("brochure.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    client.force_login(director)

    response = client.get(reverse("brochure_pdf_download", args=[programme.slug, released.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{programme.slug}-brochure-1.0.pdf"'


def test_media_url_is_not_routed():
    """Uploads only leave through the views above, which check the programme role first."""
    assert get_resolver().resolve("/healthz").url_name == "healthz"
    for pattern in get_resolver().url_patterns:
        assert not str(pattern.pattern).startswith("media"), pattern


def test_authenticate_without_request_still_works(member):
    """The shell and management commands have no request; axes only guards web logins."""
    from django.contrib.auth import authenticate

    assert authenticate(username="sanne", password=PASSWORD) == member
    assert authenticate(username="sanne", password=WRONG) is None
    assert not AccessAttempt.objects.exists()
