"""Export a whole programme to a zip and import it again, without loss.

The archive holds `manifest.json` (format, versions, when, which slug, which installation),
`programme.json` (every row of the programme, model by model, with export ids instead of
database keys and usernames instead of user ids) and `media/…` (the files those rows point
to). Rows, keys and zip entries are sorted, so two exports of the same content differ only
in the manifest's `exported_at` (and `slug`). See docs/export-import.md.

Importing runs in one transaction: a bad archive leaves no rows and no files behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import secrets
import shutil
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from programmes.models import Membership, Organisation, Programme, Role

FORMAT = "estafette-programme"
FORMAT_VERSION = 1
APP_VERSION = "1"
MANIFEST = "manifest.json"
DATA = "programme.json"
MEDIA_PREFIX = "media/"

# Defaults; settings EXCHANGE_MAX_BYTES / EXCHANGE_MAX_ENTRIES override them.
MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_JSON_BYTES = 100 * 1024 * 1024

_BROCHURE_PHOTO = re.compile(r"^brochure/photos/([0-9a-f]{32})\.jpg$")


class ExchangeError(ValueError):
    """An archive we refuse; the message says what is wrong, in the active language."""


class SlugTaken(ExchangeError):
    """The slug (the archive's or the one asked for) is taken or not a slug."""


@dataclass(frozen=True)
class Part:
    """One exported model: its label in the archive and the path from a row to the programme."""

    label: str
    scope: str  # queryset lookup that equals the programme
    exclude: tuple[str, ...] = ()  # fields regenerated on import (join codes, phone tokens)


# Order matters: a row's required foreign keys point to rows of parts above it.
PARTS: tuple[Part, ...] = (
    Part("programmes.membership", "programme"),
    Part("programmes.year", "programme"),
    Part("programmes.workplaceanchor", "programme"),
    Part("programmes.activity", "year__programme"),
    Part("workshops.designsession", "programme", exclude=("join_code",)),
    Part("workshops.agendastep", "session__programme"),
    Part("workshops.pollquestion", "session__programme"),
    Part("workshops.participant", "session__programme", exclude=("token",)),
    Part("workshops.pollanswer", "question__session__programme"),
    Part("guardrails.guardrail", "programme"),
    Part("guardrails.subgroup", "programme"),
    Part("guardrails.softassessment", "guardrail__programme"),
    Part("workshops.relaygroup", "programme"),
    Part("workshops.handover", "group__programme"),
    Part("workshops.capture", "programme"),
    Part("workshops.inventorycard", "session__programme"),
    Part("workshops.cardvote", "card__session__programme"),
    Part("workshops.ambitiondraft", "programme"),
    Part("workshops.ambitionvote", "draft__programme"),
    Part("workshops.finalgrade", "session__programme"),
    Part("workshops.impactquote", "programme"),
    Part("workshops.reasoning", "programme"),
    Part("brochure.version", "programme"),
    Part("brochure.review", "version__programme"),
    Part("brochure.notice", "version__programme"),
    Part("dialogues.dialogue", "programme"),
    Part("dialogues.question", "dialogue__programme"),
    Part("dialogues.proposal", "dialogue__programme"),
    Part("dialogues.invitation", "dialogue__programme"),
    Part("dialogues.answer", "question__dialogue__programme"),
    Part("dialogues.reaction", "proposal__dialogue__programme"),
    Part("dialogues.notification", "dialogue__programme"),
)
PART_LABELS = tuple(part.label for part in PARTS)

# Models of the programme's apps that are deliberately not exported (see docs/export-import.md).
SKIPPED = {
    "programmes.organisation": "exported by name with the programme",
    "programmes.programme": "exported as the archive's `programme` object",
    "brochure.rendering": "PDFs are derived from the snapshot and rendered again on demand",
}

PROGRAMME_FIELDS = ("title", "number_of_years", "learning_weeks_per_year", "ambition", "framing", "stage", "created_at")


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def _is_user(model) -> bool:
    return model is get_user_model()


def installation_id() -> str:
    """An opaque id of this installation (derived from SECRET_KEY, revealing nothing of it)."""
    return salted_hmac("estafette.exchange.installation", "installation").hexdigest()[:32]


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- export ---------------------------------------------------------------------------------


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class _Exporter:
    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.rows: dict[str, list] = {}
        self.ids: dict[str, dict[int, int]] = {}  # label → pk → export id
        self.users: set[str] = set()
        self.user_names: dict[int, str] = {}
        self.media: dict[str, str] = {}  # archive member → storage name

    def username(self, pk: int | None) -> str | None:
        if pk is None:
            return None
        if pk not in self.user_names:
            user = get_user_model().objects.filter(pk=pk).first()
            self.user_names[pk] = user.get_username() if user else None
        name = self.user_names[pk]
        if name:
            self.users.add(name)
        return name

    def run(self) -> tuple[dict, dict[str, str]]:
        querysets = {}
        for part in PARTS:
            model = _model(part.label)
            qs = model._default_manager.filter(**{part.scope: self.programme}).order_by("pk")
            querysets[part.label] = list(qs)
            self.ids[part.label] = {obj.pk: n for n, obj in enumerate(querysets[part.label], start=1)}
        for part in PARTS:
            self.rows[part.label] = [self.row(part, obj) for obj in querysets[part.label]]
        programme = {name: _iso(getattr(self.programme, name)) for name in PROGRAMME_FIELDS}
        programme["organisation"] = self.programme.organisation.name
        User = get_user_model()
        users = [
            {"username": u.get_username(), "first_name": u.first_name, "last_name": u.last_name, "email": u.email}
            for u in User._default_manager.filter(**{f"{User.USERNAME_FIELD}__in": self.users}).order_by(
                User.USERNAME_FIELD
            )
        ]
        data = {"programme": programme, "users": users, "rows": self.rows}
        return data, self.media

    def ref(self, field, value):
        target = field.related_model
        if _is_user(target):
            return self.username(value)
        if target is Programme or value is None:
            return None
        return self.ids[target._meta.label_lower].get(value)

    def row(self, part: Part, obj) -> dict:
        label = part.label
        row = {"id": self.ids[label][obj.pk]}
        for field in obj._meta.concrete_fields:
            if field.primary_key or field.name in part.exclude:
                continue
            if field.is_relation:
                if field.related_model is Programme:
                    continue
                row[field.name] = self.ref(field, getattr(obj, field.attname))
            elif isinstance(field, models.FileField):
                row[field.name] = self.file(label, row["id"], field.name, getattr(obj, field.name))
            else:
                row[field.name] = _iso(getattr(obj, field.attname))
        for field in obj._meta.many_to_many:
            if not field.remote_field.through._meta.auto_created:
                continue
            related = getattr(obj, field.name).values_list("pk", flat=True)
            values = [self.ref(field, pk) for pk in related]
            row[field.name] = sorted(v for v in values if v is not None)
        if label == "workshops.cardvote":
            row["voter"] = self.voter(obj.voter)
        if label == "brochure.version":
            for photo in obj.snapshot.get("photos") or []:
                self.snapshot_photo(photo.get("file", ""))
        return row

    def voter(self, voter: str) -> str | None:
        """A dot's voter as "u:<username>" or "p:<participant export id>"."""
        kind, pk = voter[:1], voter[1:]
        if not pk.isdigit():
            return None
        if kind == "u":
            name = self.username(int(pk))
            return f"u:{name}" if name else None
        if kind == "p":
            number = self.ids["workshops.participant"].get(int(pk))
            return f"p:{number}" if number else None
        return None

    def file(self, label: str, export_id: int, field_name: str, fieldfile) -> str:
        if not fieldfile:
            return ""
        if not fieldfile.storage.exists(fieldfile.name):
            raise ExchangeError(
                _("The file %(name)s of this programme is missing; it cannot be exported.") % {"name": fieldfile.name}
            )
        suffix = PurePosixPath(fieldfile.name).suffix.lower()[:10]
        member = f"{MEDIA_PREFIX}{label}/{export_id}-{field_name}{suffix}"
        self.media[member] = fieldfile.name
        return member

    def snapshot_photo(self, name: str) -> None:
        # A photo a snapshot lost stays lost: the brochure already shows it as missing.
        if _BROCHURE_PHOTO.match(name) and default_storage.exists(name):
            self.media[MEDIA_PREFIX + name] = name


def _dumps(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1).encode()


def _info(name: str) -> zipfile.ZipInfo:
    """A fixed date and mode, so the same content gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _member(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    zf.writestr(_info(name), data)


def export_programme(programme: Programme, output=None) -> bytes | None:
    """The programme as a zip archive: its bytes, or written to `output` (a path or a binary
    file) when given. Side effects: reads every row and media file of the programme."""
    data, media = _Exporter(programme).run()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": APP_VERSION,
        "exported_at": timezone.now().isoformat(),
        "slug": programme.slug,
        "installation": installation_id(),
    }
    if output is None:
        buffer = io.BytesIO()
        _write_zip(buffer, manifest, data, media)
        return buffer.getvalue()
    if hasattr(output, "write"):
        _write_zip(output, manifest, data, media)
    else:
        with open(output, "wb") as handle:
            _write_zip(handle, manifest, data, media)
    return None


def _write_zip(target, manifest: dict, data: dict, media: dict[str, str]) -> None:
    """Media files are copied in chunks, never held in memory whole (vlogs can be large)."""
    with zipfile.ZipFile(target, "w") as zf:
        _member(zf, MANIFEST, _dumps(manifest))
        _member(zf, DATA, _dumps(data))
        for member in sorted(media):
            with default_storage.open(media[member], "rb") as source, zf.open(_info(member), "w") as sink:
                shutil.copyfileobj(source, sink, 1024 * 1024)


def archive_filename(programme: Programme) -> str:
    return f"estafette-{programme.slug}-{timezone.localdate().isoformat()}.zip"


# --- import ---------------------------------------------------------------------------------


class _Archive:
    """A zip checked for size, entry count and member names before anything is read."""

    def __init__(self, source) -> None:
        try:
            self.zf = zipfile.ZipFile(source)
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            raise ExchangeError(_("This file is not a zip archive. Choose a programme export (.zip).")) from exc
        if len(infos) > _setting("EXCHANGE_MAX_ENTRIES", MAX_ENTRIES):
            raise ExchangeError(_("This archive has too many files to be a programme export."))
        total = sum(info.file_size for info in infos)
        if total > _setting("EXCHANGE_MAX_BYTES", MAX_UNCOMPRESSED_BYTES):
            raise ExchangeError(_("This archive unpacks to more than the allowed size; it is refused."))
        self.names = set()
        for info in infos:
            name = info.filename
            path = PurePosixPath(name)
            if (
                name.startswith(("/", "\\"))
                or "\\" in name
                or ".." in path.parts
                or re.match(r"^[A-Za-z]:", name)
                or "\x00" in name
            ):
                raise ExchangeError(_("This archive contains a file with an unsafe path (%(name)s).") % {"name": name})
            self.names.add(name)

    def read(self, name: str, limit: int | None = None) -> bytes:
        if name not in self.names:
            raise ExchangeError(_("The archive lacks the file %(name)s.") % {"name": name})
        try:
            with self.zf.open(name) as handle:
                data = handle.read() if limit is None else handle.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise ExchangeError(_("The file %(name)s in the archive is damaged.") % {"name": name}) from exc
        if limit is not None and len(data) > limit:
            raise ExchangeError(_("The file %(name)s in the archive is too large.") % {"name": name})
        return data

    def json(self, name: str):
        try:
            return json.loads(self.read(name, MAX_JSON_BYTES))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise ExchangeError(_("The file %(name)s in the archive is not valid JSON.") % {"name": name}) from exc


def read_manifest(archive: _Archive) -> dict:
    manifest = archive.json(MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ExchangeError(_("This zip is not an Estafette programme export."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ExchangeError(
            _("This export has format version %(found)s; this installation reads version %(expected)s only.")
            % {"found": manifest.get("format_version"), "expected": FORMAT_VERSION}
        )
    return manifest


class _Importer:
    def __init__(self, archive: _Archive, manifest: dict, data: dict, slug: str, by, link_users: bool) -> None:
        self.archive = archive
        self.manifest = manifest
        self.data = data
        self.slug = slug
        self.by = by
        self.link_users = link_users or manifest.get("installation") == installation_id()
        self.ids: dict[str, dict[int, int]] = {}  # label → export id → new pk
        self.users: dict[str, int] = {}
        self.written: list[str] = []
        self.deferred: list[tuple[models.Model, dict]] = []
        self.m2m: list[tuple[models.Model, str, list[int]]] = []
        self.stamps: list[tuple[type[models.Model], int, dict]] = []

    # --- users

    def make_users(self) -> None:
        """Same installation (or --link-users): link by username, create missing ones.
        Another installation: never link an existing account; every person becomes a new
        inactive account without a usable password, renamed when the username is taken."""
        User = get_user_model()
        field = User.USERNAME_FIELD
        for entry in self.data.get("users") or []:
            username = str(entry["username"])
            existing = User._default_manager.filter(**{field: username}).first()
            if existing is not None and self.link_users:
                self.users[username] = existing.pk
                continue
            new_name = username
            n = 1
            while User._default_manager.filter(**{field: new_name}).exists():
                n += 1
                new_name = f"{username[:140]}-import{n if n > 2 else ''}"
            user = User(
                **{field: new_name},
                first_name=str(entry.get("first_name", ""))[:150],
                last_name=str(entry.get("last_name", ""))[:150],
                email=str(entry.get("email", ""))[:254],
                is_active=False,
            )
            user.set_unusable_password()
            self.clean(user, exclude=["password"])
            user.save()
            self.users[username] = user.pk

    def user(self, username) -> int | None:
        if username is None:
            return None
        if username not in self.users:
            raise ExchangeError(_("The archive refers to a person it does not list (%(name)s).") % {"name": username})
        return self.users[username]

    # --- rows

    def run(self) -> Programme:
        if not isinstance(self.data.get("programme"), dict) or not isinstance(self.data.get("rows"), dict):
            raise ExchangeError(_("The file %(name)s in the archive is not a programme.") % {"name": DATA})
        unknown = set(self.data["rows"]) - set(PART_LABELS)
        if unknown:
            raise ExchangeError(
                _("The archive holds rows this installation does not know (%(labels)s).")
                % {"labels": ", ".join(sorted(unknown))}
            )
        info = self.data["programme"]
        name = str(info["organisation"])[:200]
        organisation = Organisation.objects.filter(name=name).order_by("pk").first()
        organisation = organisation or Organisation.objects.create(name=name)
        programme = Programme(organisation=organisation, slug=self.slug)
        for name in PROGRAMME_FIELDS:
            self.set_value(programme, Programme._meta.get_field(name), info.get(name))
        self.clean(programme, exclude=["organisation"])
        created_at = programme.created_at
        programme.save()
        self.stamps.append((Programme, programme.pk, {"created_at": created_at}))
        self.programme = programme
        self.make_users()
        rows = self.data["rows"]
        for index, part in enumerate(PARTS):
            for row in rows.get(part.label, []):
                self.create(index, part, row)
        self.finish_references()
        for obj, values in self.deferred:
            type(obj)._default_manager.filter(pk=obj.pk).update(**values)
        for obj, name, pks in self.m2m:
            getattr(obj, name).set(pks)
        for model, pk, values in self.stamps:
            model._default_manager.filter(pk=pk).update(**values)
        if self.by is not None:
            Membership.objects.update_or_create(user=self.by, programme=programme, defaults={"role": Role.FACILITATOR})
        programme.refresh_from_db()  # the restored timestamps
        return programme

    def target(self, index: int, field, value):
        """The new pk for an export id (or username) in a relation field, and whether it must
        wait until every row exists (it points to a later part, or to its own)."""
        model = field.related_model
        if _is_user(model):
            return self.user(value), False
        if model is Programme:
            return self.programme.pk, False
        if value is None:
            return None, False
        label = model._meta.label_lower
        if label not in PART_LABELS:
            raise ExchangeError(_("The archive refers to an unknown kind of row (%(label)s).") % {"label": label})
        if PART_LABELS.index(label) >= index:
            return value, True  # resolved after all rows exist
        return self.resolve(label, value), False

    def resolve(self, label: str, export_id) -> int:
        try:
            return self.ids[label][export_id]
        except (KeyError, TypeError):
            raise ExchangeError(
                _("The archive refers to a missing row (%(label)s %(id)s).") % {"label": label, "id": export_id}
            ) from None

    def set_value(self, obj, field, value) -> None:
        if value is not None and isinstance(field, models.DateTimeField):
            parsed = parse_datetime(str(value))
            if parsed is None:
                raise ValueError(value)
            value = parsed
        elif value is not None and isinstance(field, models.DateField):
            parsed = parse_date(str(value))
            if parsed is None:
                raise ValueError(value)
            value = parsed
        elif value is not None and isinstance(field, models.DecimalField):
            value = Decimal(str(value))
        setattr(obj, field.attname, value)

    def create(self, index: int, part: Part, row: dict) -> None:
        model = _model(part.label)
        obj = model()
        later: dict = {}
        stamps: dict = {}
        files: list[tuple] = []
        relations = []
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in part.exclude:
                continue
            value = row.get(field.name)
            if field.is_relation:
                pk, wait = self.target(index, field, value)
                if wait:
                    if not field.null:
                        raise ExchangeError(_("The rows in the archive are in an impossible order."))
                    later[field.attname] = (field.related_model._meta.label_lower, pk)
                    pk = None
                setattr(obj, field.attname, pk)
                relations.append(field.name)
            elif isinstance(field, models.FileField):
                if value:
                    files.append((field, str(value)))
                elif not field.blank:
                    raise ExchangeError(
                        _("The archive has a %(model)s without its file (%(field)s).")
                        % {"model": model._meta.verbose_name, "field": field.name}
                    )
            else:
                self.set_value(obj, field, value)
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    stamps[field.name] = getattr(obj, field.attname)
        if part.label == "workshops.designsession":
            from workshops.models import new_join_code

            obj.join_code = new_join_code()
        elif part.label == "workshops.participant":
            obj.token = secrets.token_urlsafe(32)
        elif part.label == "workshops.cardvote":
            obj.voter = self.voter(row.get("voter"))
        elif part.label == "brochure.version":
            self.snapshot_photos(obj.snapshot)
        file_names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        self.clean(obj, exclude=relations + file_names)
        for field, member in files:
            self.attach(obj, field, member)
        obj.save()
        self.ids.setdefault(part.label, {})[row["id"]] = obj.pk
        if later:
            self.deferred.append((obj, {attname: (label, value) for attname, (label, value) in later.items()}))
        if stamps:
            self.stamps.append((model, obj.pk, stamps))
        for field in model._meta.many_to_many:
            if not field.remote_field.through._meta.auto_created or field.name not in row:
                continue
            values = row[field.name] or []
            if _is_user(field.related_model):
                pks = [self.user(v) for v in values]
            else:
                label = field.related_model._meta.label_lower
                pks = [("later", label, v) for v in values]
            self.m2m.append((obj, field.name, pks))

    def finish_references(self) -> None:
        resolved = []
        for obj, values in self.deferred:
            resolved.append((obj, {attname: self.resolve(label, v) for attname, (label, v) in values.items()}))
        self.deferred = resolved
        m2m = []
        for obj, name, pks in self.m2m:
            m2m.append((obj, name, [self.resolve(p[1], p[2]) if isinstance(p, tuple) else p for p in pks]))
        self.m2m = m2m

    def voter(self, voter) -> str:
        text = str(voter or "")
        if text.startswith("u:"):
            return f"u{self.user(text[2:])}"
        if text.startswith("p:") and text[2:].isdigit():
            return f"p{self.resolve('workshops.participant', int(text[2:]))}"
        raise ExchangeError(_("The archive has a dot without a valid voter (%(voter)s).") % {"voter": text})

    def clean(self, obj, exclude: list[str]) -> None:
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise ExchangeError(
                _("The archive has an invalid %(model)s: %(details)s")
                % {"model": obj._meta.verbose_name, "details": details}
            ) from exc

    # --- files

    def media(self, member: str) -> bytes:
        if not member.startswith(MEDIA_PREFIX):
            raise ExchangeError(_("The archive refers to a file outside media/ (%(name)s).") % {"name": member})
        return self.archive.read(member)

    def attach(self, obj, field, member: str) -> None:
        data = self.media(member)
        check_media(obj, field.name, data, member)
        suffix = PurePosixPath(member).suffix.lower()
        getattr(obj, field.name).save(f"{field.name}{suffix}", ContentFile(data), save=False)
        self.written.append(getattr(obj, field.name).name)

    def snapshot_photos(self, snapshot) -> None:
        if not isinstance(snapshot, dict):
            raise ExchangeError(_("The archive has a brochure version without a snapshot."))
        for photo in snapshot.get("photos") or []:
            name = str(photo.get("file", "")) if isinstance(photo, dict) else ""
            match = _BROCHURE_PHOTO.match(name)
            if not match:
                raise ExchangeError(_("A brochure version in the archive names an unsafe photo path."))
            if default_storage.exists(name) or MEDIA_PREFIX + name not in self.archive.names:
                continue  # content-addressed: the same name holds the same photo
            data = self.archive.read(MEDIA_PREFIX + name)
            if hashlib.sha256(data).hexdigest()[:32] != match.group(1):
                raise ExchangeError(_("A brochure photo in the archive does not match its name."))
            _check_image(data, name)
            self.written.append(default_storage.save(name, ContentFile(data)))

    def cleanup(self) -> None:
        for name in self.written:
            with contextlib.suppress(OSError):
                default_storage.delete(name)


def _check_image(data: bytes, member: str) -> None:
    """A stored photo (display, thumbnail, brochure copy) is a JPEG within the pixel limit;
    checked from its header, not re-encoded, so it comes back byte for byte."""
    from PIL import Image, UnidentifiedImageError

    from workshops import photos

    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = photos._FORMAT_ALIASES.get(img.format, img.format)
            pixels = img.width * img.height
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ExchangeError(_("The photo %(name)s in the archive is not an image.") % {"name": member}) from exc
    if kind not in photos.ALLOWED_FORMATS or pixels > photos._setting("PHOTO_MAX_PIXELS", photos.MAX_PIXELS):
        raise ExchangeError(_("The photo %(name)s in the archive is not an accepted image.") % {"name": member})


def check_media(obj, field_name: str, data: bytes, member: str) -> None:
    """Refuse a media file whose content is not what its field holds."""
    from workshops.media import SNIFF_BYTES, sniff_video

    if obj._meta.label_lower == "workshops.handover":
        if sniff_video(data[:SNIFF_BYTES]) != obj.vlog_kind:
            raise ExchangeError(_("The vlog %(name)s in the archive is not an MP4 or WebM video.") % {"name": member})
    elif obj._meta.label_lower == "workshops.capture":
        _check_image(data, member)
    else:
        raise ExchangeError(_("The archive has a file where none is expected (%(name)s).") % {"name": member})


def free_slug(wanted: str) -> bool:
    return not Programme.objects.filter(slug=wanted).exists()


def import_programme(source, slug: str | None = None, by=None, link_users: bool = False) -> Programme:
    """Create a programme from an export archive (a path or a binary file).

    `slug` replaces the archive's slug; `by` becomes a facilitator of the new programme;
    `link_users` links people by username even when the archive comes from another
    installation. Side effects: one transaction of inserts, media files written (deleted
    again when anything fails), user accounts created (inactive) for people not found.
    Raises ExchangeError with a message for the person importing.
    """
    archive = _Archive(source)
    manifest = read_manifest(archive)
    data = archive.json(DATA)
    wanted = slug or str(manifest.get("slug") or "")
    if slugify(wanted) != wanted or not wanted or len(wanted) > 80:
        raise SlugTaken(
            _("“%(slug)s” is not a valid slug: use lowercase letters, digits and hyphens.") % {"slug": wanted}
        )
    if not free_slug(wanted):
        raise SlugTaken(
            _("A programme with the slug “%(slug)s” already exists. Choose another slug for the import.")
            % {"slug": wanted}
        )
    importer = _Importer(archive, manifest, data if isinstance(data, dict) else {}, wanted, by, link_users)
    try:
        with transaction.atomic():
            importer.run()
    except ExchangeError:
        importer.cleanup()
        raise
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError, DatabaseError) as exc:
        importer.cleanup()
        raise ExchangeError(
            _("The archive's data is incomplete or inconsistent (%(error)s); nothing was imported.")
            % {"error": exc.__class__.__name__}
        ) from exc
    except BaseException:
        importer.cleanup()
        raise
    return importer.programme
