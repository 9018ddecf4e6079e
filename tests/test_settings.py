"""Production settings come from the environment and pass Django's deployment checks."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "ESTAFETTE_TESTING", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_environment():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="estafette.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "estafette.example.org",
}


def test_check_deploy_is_clean_with_every_production_variable():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        CSRF_TRUSTED_ORIGINS="https://estafette.example.org",
        TRUST_X_FORWARDED_PROTO="1",
        TRUST_X_FORWARDED_FOR="1",
        TRUSTED_PROXY_COUNT="2",
        CACHE_BACKEND="database",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="estafette",
        EMAIL_HOST_PASSWORD="mail-secret",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="Estafette <estafette@example.org>",
        SERVER_EMAIL="fouten@example.org",
        ADMINS="Beheer <beheer@example.org>, ops@example.org",
        LOG_LEVEL="INFO",
        AXES_FAILURE_LIMIT="10",
        AXES_COOLOFF_HOURS="0.5",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _production_settings(*names: str, **env: str) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}, default=str))"
    )
    result = _manage("shell", "-c", code, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_values_come_from_the_environment():
    values = _production_settings(
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
        "ADMINS",
        "SERVER_EMAIL",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "CACHES",
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="yes",
        ADMINS="Beheer <beheer@example.org>, ops@example.org",
        SERVER_EMAIL="fouten@example.org",
        CSRF_TRUSTED_ORIGINS="https://estafette.example.org,https://www.estafette.example.org",
        TRUST_X_FORWARDED_PROTO="1",
        CACHE_BACKEND="database",
        AXES_FAILURE_LIMIT="10",
        AXES_COOLOFF_HOURS="0.5",
    )

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_TLS"]) == ("smtp.example.org", 587, True)
    assert values["ADMINS"] == [["Beheer", "beheer@example.org"], ["", "ops@example.org"]]
    assert values["SERVER_EMAIL"] == "fouten@example.org"
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://estafette.example.org", "https://www.estafette.example.org"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert (values["AXES_FAILURE_LIMIT"], values["AXES_COOLOFF_TIME"]) == (10, 0.5)


def test_proxy_headers_are_not_trusted_unless_asked():
    values = _production_settings("SECURE_PROXY_SSL_HEADER", "TRUST_X_FORWARDED_FOR", "EMAIL_BACKEND")

    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["TRUST_X_FORWARDED_FOR"] is False


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", SECRET_KEY=PRODUCTION["SECRET_KEY"])

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    ("storage", "message"),
    [("s3", "pip install 'django-storages[s3]'"), ("ftp", "MEDIA_STORAGE must be")],
)
def test_media_storage_other_than_filesystem_says_what_is_missing(storage, message):
    if storage == "s3" and importlib.util.find_spec("storages"):
        pytest.skip("django-storages is installed here")
    result = _manage("check", **PRODUCTION, MEDIA_STORAGE=storage)

    assert result.returncode != 0
    assert message in result.stderr
