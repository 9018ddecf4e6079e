"""Take the snapshot of a programme that a brochure version keeps for ever.

The snapshot is plain JSON: keys and numbers, no labels (labels are translated when a
version is shown, so a version reads in each reader's language). Photos are copied into
content-addressed files under `brochure/photos/`, so deleting or replacing a capture later
never changes a published version.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count

from guardrails.models import Guardrail, SoftAssessment
from guardrails.queries import check_guardrails
from programmes.models import Programme
from programmes.queries import activities_by_year, study_load_for
from workshops.domain import grade_summary
from workshops.models import (
    Capture,
    FinalGrade,
    Handover,
    ImpactQuote,
    InventoryCard,
    Reasoning,
    RelayGroup,
    SessionKind,
)

SCHEMA = 1
INVENTORY_PER_LANE = 5
SOFT_STATUS = {"met": "met_soft", "partly": "partly", "not_met": "not_met"}


def _hours(value: Decimal) -> str:
    """A Decimal as its shortest exact text ("2", "1.5"): stable to compare and to show."""
    text = format(value.normalize(), "f")
    return text


def _load(summary) -> dict:
    return {
        "total_hours": round(summary.total_hours, 2),
        "hours_per_week": round(summary.hours_per_week, 2),
        "modality": {k: round(v, 4) for k, v in summary.modality.items()},
        "online": {k: round(v, 4) for k, v in summary.online.items()},
        "learning_types": {k: round(v, 4) for k, v in summary.learning_types.items()},
        "with_whom": {k: round(v, 4) for k, v in summary.with_whom.items()},
    }


def _activity(activity) -> dict:
    return {
        "id": activity.pk,
        "title": activity.title,
        "description": activity.description,
        "learning_type": activity.learning_type,
        "modality": activity.modality,
        "with_whom": list(activity.with_whom or []),
        "contact_hours": _hours(activity.contact_hours),
        "prep_hours": _hours(activity.prep_hours),
        "extra_hours": _hours(activity.extra_hours),
        "occurrences": activity.occurrences,
        "total_hours": _hours(activity.total_hours),
        "anchor": activity.anchor.name if activity.anchor else "",
        "triangle": [activity.triangle_client, activity.triangle_driver, activity.triangle_content_supporter],
    }


def _guardrails(programme: Programme, grouped) -> list[dict]:
    latest_verdict: dict[int, str] = {}
    soft = SoftAssessment.objects.filter(guardrail__programme=programme).order_by("-created_at", "-pk")
    for guardrail_id, verdict in soft.values_list("guardrail_id", "verdict"):
        latest_verdict.setdefault(guardrail_id, verdict)
    rows = []
    for item in check_guardrails(programme, grouped, list(Guardrail.objects.filter(programme=programme))):
        g = item.guardrail
        result = item.result
        rows.append(
            {
                "id": g.pk,
                "name": g.name,
                "kind": g.kind,
                "metric": g.metric,
                "key": g.key,
                "comparator": g.comparator,
                "target": _hours(g.target) if g.target is not None else None,
                "target_high": _hours(g.target_high) if g.target_high is not None else None,
                "tolerance": _hours(g.tolerance or Decimal(0)),
                "description": g.description,
                "status": result.status if result else SOFT_STATUS.get(latest_verdict.get(g.pk, "")),
                "value": result.overall.value if result else None,
                "years": {str(n): {"value": e.value, "status": e.status} for n, e in result.years} if result else {},
            }
        )
    return rows


def _photo(capture: Capture) -> dict | None:
    """Copy the capture's display version (never an original: we keep none) to a
    content-addressed file; None when its file is missing."""
    try:
        with capture.display.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    digest = hashlib.sha256(data).hexdigest()
    name = f"brochure/photos/{digest[:32]}.jpg"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return {"file": name, "caption": capture.caption, "width": capture.width, "height": capture.height}


def take_snapshot(programme: Programme) -> dict:
    """The whole programme as plain JSON. Side effects: copies selected photos into
    `brochure/photos/` (content-addressed, so a photo is stored once); about a dozen queries."""
    grouped = activities_by_year(programme)
    load = study_load_for(programme, grouped)
    groups: dict[int, list[str]] = {}
    for name, year_number in RelayGroup.objects.filter(programme=programme).values_list("name", "year__number"):
        groups.setdefault(year_number, []).append(name)
    years = []
    for year in programme.years.filter(number__lte=programme.number_of_years).order_by("number"):
        years.append(
            {
                "number": year.number,
                "title": year.title,
                "signature": year.signature,
                "description": year.description,
                "relay_groups": groups.get(year.number, []),
                "activities": [_activity(a) for a in grouped[year.number]],
                "load": _load(load["years"][year.number]),
            }
        )

    cards = (
        InventoryCard.objects.filter(session__programme=programme)
        .annotate(dots=Count("votes"))
        .order_by("lane", "-dots", "pk")
        .values_list("lane", "text", "dots")
    )
    inventory: dict[str, list[dict]] = {}
    for lane, text, dots in cards:
        if len(inventory.setdefault(lane, [])) < INVENTORY_PER_LANE:
            inventory[lane].append({"text": text, "dots": dots})

    relay = [
        {
            "group": h.group.name,
            "year": h.group.year.number,
            "question": h.question,
            "answer": h.answer,
        }
        for h in Handover.objects.filter(group__programme=programme)
        .select_related("group__year")
        .order_by("group__order", "group__pk")
        if h.question or h.answer
    ]

    photos = []
    for capture in Capture.objects.filter(programme=programme, in_brochure=True).order_by("created_at", "pk"):
        photo = _photo(capture)
        if photo:
            photos.append(photo)

    quotes = [
        {"speaker": q.speaker, "speaker_detail": q.speaker_detail, "text": q.text}
        for q in ImpactQuote.objects.filter(programme=programme).order_by("speaker", "pk")
    ]
    reasonings = [{"p": r.p, "q": r.q, "r": r.r} for r in Reasoning.objects.filter(programme=programme)]

    final = None
    grades = list(
        FinalGrade.objects.filter(session__programme=programme, session__kind=SessionKind.FINAL).values_list(
            "grade", "suggestion", "adopted"
        )
    )
    if grades:
        summary = grade_summary([g for g, _s, _a in grades])
        final = {
            "count": summary.count,
            "mean": summary.mean,
            "median": summary.median,
            "distribution": [list(pair) for pair in summary.distribution],
            "adopted": [s for _g, s, adopted in grades if adopted],
        }

    return {
        "schema": SCHEMA,
        "programme": {
            "title": programme.title,
            "organisation": programme.organisation.name,
            "ambition": programme.ambition,
            "framing": programme.framing,
            "learning_weeks_per_year": programme.learning_weeks_per_year,
        },
        "guardrails": _guardrails(programme, grouped),
        "years": years,
        "overall": _load(load["overall"]),
        "inventory": inventory,
        "relay": relay,
        "photos": photos,
        "quotes": quotes,
        "reasonings": reasonings,
        "final": final,
    }
