"""Operations: the /healthz endpoint and the gunicorn configuration."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


# --- /healthz -------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # not there yet: storage creates it on the first upload
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_healthz_is_ok_without_login_session_or_cookie(client, media):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok", "media": "ok"}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]
    assert reverse("healthz") == "/healthz"


@pytest.mark.django_db
def test_healthz_answers_head(client, media):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(client, settings, media):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200  # the load balancer probes over HTTP
    assert client.get(reverse("login")).status_code == 301


@pytest.mark.django_db
def test_healthz_503_when_the_database_is_down_without_leaking_the_error(client, media):
    secret = "could not connect to server db.internal:5432 as user estafette password=s3cret"
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError(secret)

    with mock.patch("config.health.connection", broken):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "error", "cache": "ok", "media": "ok"}
    assert b"s3cret" not in response.content
    assert b"db.internal" not in response.content


@pytest.mark.django_db
def test_healthz_503_when_select_fails(client, media):
    with mock.patch("config.health.connection") as connection:
        connection.cursor.return_value.__enter__.return_value.execute.side_effect = OperationalError("locked")
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "error"


@pytest.mark.django_db
def test_healthz_503_when_the_cache_fails(client, media):
    with mock.patch("config.health.cache") as cache:
        cache.set.side_effect = ConnectionError("cache server gone")
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "ok", "cache": "error", "media": "ok"}


@pytest.mark.django_db
def test_healthz_503_when_media_root_is_not_a_writable_directory(client, settings, tmp_path):
    blocker = tmp_path / "media"
    blocker.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocker

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["media"] == "error"


# --- gunicorn --------------------------------------------------------------------------------


def _load_gunicorn_conf():
    spec = importlib.util.spec_from_file_location("estafette_gunicorn_conf", ROOT / "config" / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GUNICORN_ENV = [
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "GUNICORN_ACCESSLOG",
    "FORWARDED_ALLOW_IPS",
]


def test_gunicorn_conf_defaults(monkeypatch):
    for name in GUNICORN_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)

    conf = _load_gunicorn_conf()

    assert conf.bind == ["127.0.0.1:8000"]
    assert conf.worker_class == "gthread"
    assert (conf.workers, conf.threads) == (3, 4)
    assert (conf.timeout, conf.graceful_timeout, conf.keepalive) == (60, 30, 5)
    assert (conf.max_requests, conf.max_requests_jitter) == (1000, 100)
    assert conf.accesslog == "-"
    assert conf.forwarded_allow_ips == "127.0.0.1,::1"


def test_gunicorn_conf_reads_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "unix:/run/estafette/gunicorn.sock")
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "120")
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "0")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.2")

    conf = _load_gunicorn_conf()

    assert conf.bind == ["unix:/run/estafette/gunicorn.sock"]
    assert (conf.workers, conf.threads, conf.timeout, conf.max_requests) == (5, 8, 120, 0)
    assert conf.forwarded_allow_ips == "10.0.0.2"


def test_gunicorn_accepts_the_conf():
    """gunicorn's own parser takes every name in the file (a typo would be a setting it ignores)."""
    from gunicorn.config import Config

    conf = _load_gunicorn_conf()
    config = Config()
    known = set(config.settings)
    names = {
        name for name in vars(conf) if not name.startswith("_") and name not in {"annotations", "multiprocessing", "os"}
    }
    assert names <= known, names - known
    for name in names:
        config.set(name, getattr(conf, name))
    assert config.worker_class_str == "gthread"
    assert (config.threads, config.accesslog) == (conf.threads, "-")


# --- docs/deploy.md and deploy/env.example name every variable --------------------------------

_ENV_NAME = re.compile(r"""(?:env_bool|env_list|_int|environ\.get|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")


def _variables(path: Path) -> set[str]:
    return set(_ENV_NAME.findall(path.read_text()))


def test_deploy_doc_lists_every_environment_variable():
    variables = _variables(ROOT / "config" / "settings.py") | _variables(ROOT / "config" / "gunicorn.conf.py")
    doc = (ROOT / "docs" / "deploy.md").read_text()

    assert {"SECRET_KEY", "DATABASE_URL", "GUNICORN_BIND", "TRUSTED_PROXY_COUNT"} <= variables
    assert {name for name in variables - {"ESTAFETTE_TESTING"} if f"`{name}`" not in doc} == set()


def test_env_example_uses_only_known_variables():
    variables = _variables(ROOT / "config" / "settings.py") | _variables(ROOT / "config" / "gunicorn.conf.py")
    lines = (ROOT / "deploy" / "env.example").read_text().splitlines()
    names = {line.lstrip("#").split("=", 1)[0] for line in lines if re.match(r"#?[A-Z_]+=", line)}

    assert "SECRET_KEY" in names
    assert names - variables == set()
