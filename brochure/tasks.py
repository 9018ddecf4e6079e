"""Rendering a version's PDF once, in the background when it is large."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from brochure import pdf
from brochure.models import Rendering, RenderKind, RenderStatus, Version
from brochure.workflow import previous_version

logger = logging.getLogger(__name__)


def rendering_for(version: Version, kind: str = RenderKind.BROCHURE, language: str | None = None) -> Rendering | None:
    """The stored rendering of the current templates for this version, if any."""
    key = pdf.render_key(version.snapshot, kind, language or settings.LANGUAGE_CODE)
    return Rendering.objects.filter(version=version, kind=kind, key=key).first()


def is_large(version: Version) -> bool:
    return len(version.snapshot.get("photos", [])) > getattr(settings, "BROCHURE_TASK_THRESHOLD", 4)


def request_rendering(version: Version, kind: str = RenderKind.BROCHURE, language: str | None = None) -> Rendering:
    """Find or start the rendering for the current templates. A new or failed one is (re)queued:
    large ones go to the worker, the rest (and every one under the immediate backend) render now.
    Side effects: one Rendering row, maybe a task or a PDF file."""
    language = language or settings.LANGUAGE_CODE
    key = pdf.render_key(version.snapshot, kind, language)
    rendering, _created = Rendering.objects.get_or_create(version=version, kind=kind, key=key)
    if rendering.status in (RenderStatus.DONE, RenderStatus.RUNNING):
        return rendering
    if rendering.status == RenderStatus.QUEUED and rendering.task_id:
        return rendering
    Rendering.objects.filter(pk=rendering.pk).update(status=RenderStatus.QUEUED, error="", task_id="")
    background = is_large(version) and "immediate" not in settings.TASKS["default"]["BACKEND"].lower()
    if background:
        result = render_pdf.enqueue(rendering.pk, language)
        Rendering.objects.filter(pk=rendering.pk).update(task_id=str(result.id)[:64])
    else:
        run_rendering(rendering.pk, language)
    rendering.refresh_from_db()
    return rendering


def run_rendering(rendering_id: int, language: str) -> str:
    """Render and store one PDF; a failure is recorded on the row, never raised. Returns the status."""
    claimed = (
        Rendering.objects.filter(pk=rendering_id).exclude(status=RenderStatus.DONE).update(status=RenderStatus.RUNNING)
    )
    if not claimed:
        return RenderStatus.DONE
    rendering = Rendering.objects.select_related("version__programme").get(pk=rendering_id)
    version = rendering.version
    stem = f"{version.programme.slug}-v{version.number}-{rendering.kind}-{rendering.key[:12]}"
    name = f"brochure/{version.programme_id}/{stem}.pdf"
    target = Path(settings.MEDIA_ROOT) / name
    try:
        pages = pdf.render_to_file(
            version, target, kind=rendering.kind, previous=previous_version(version), language=language
        )
    except Exception as exc:  # any failure inside WeasyPrint must end as "failed", not a 500
        logger.exception("rendering %s failed", rendering_id)
        Rendering.objects.filter(pk=rendering_id).update(
            status=RenderStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        return RenderStatus.FAILED
    Rendering.objects.filter(pk=rendering_id).update(
        status=RenderStatus.DONE, file=name, pages=pages, finished_at=timezone.now(), error=""
    )
    return RenderStatus.DONE


@task()
def render_pdf(rendering_id: int, language: str) -> str:
    return run_rendering(rendering_id, language)
