"""A snapshot made ready for the templates: labels in the reader's language, charts,
photo addresses for the browser or the PDF, the changelog. Reads no database rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from brochure import domain
from brochure.charts import guardrail_chart
from guardrails.models import Comparator, Metric
from programmes.charts import bar_chart
from programmes.models import LearningType, Modality, WithWhom
from workshops.models import Lane, Speaker


@dataclass
class SnapshotGuardrail:
    """Quacks like guardrails.Guardrail for `guardrails/_target.html` and the `in_unit` filter."""

    id: int
    name: str
    kind: str
    metric: str
    key: str
    comparator: str
    target: str | None
    target_high: str | None
    tolerance: str
    description: str
    status: str | None
    value: float | None
    years: dict

    @property
    def is_percent(self) -> bool:
        return self.metric not in (Metric.STUDY_LOAD, Metric.QUALITATIVE)

    @property
    def key_label(self) -> str:
        return str(dict([*LearningType.choices, *WithWhom.choices]).get(self.key, ""))

    def get_metric_display(self) -> str:
        return str(dict(Metric.choices).get(self.metric, self.metric))

    def get_comparator_display(self) -> str:
        return str(dict(Comparator.choices).get(self.comparator, self.comparator))

    @property
    def year_rows(self) -> list[tuple[int, float, str]]:
        return [(int(n), e["value"], e["status"]) for n, e in sorted(self.years.items(), key=lambda i: int(i[0]))]


def field_label(name: str) -> str:
    return {
        "year": _("year"),
        "title": _("title"),
        "description": _("description"),
        "signature": _("signature"),
        "learning_type": _("learning type"),
        "modality": _("modality"),
        "with_whom": _("with whom"),
        "contact_hours": _("contact hours"),
        "prep_hours": _("preparation & follow-up hours"),
        "extra_hours": _("extra hours for leaving routine"),
        "occurrences": _("occurrences"),
        "anchor": _("workplace anchor"),
        "triangle": _("experiment triangle"),
        "ambition": _("ambition"),
    }.get(name, name)


def value_label(name: str, value) -> str:
    if value in (None, "", []):
        return "–"
    if name == "learning_type":
        return str(dict(LearningType.choices).get(value, value))
    if name == "modality":
        return str(dict(Modality.choices).get(value, value))
    if name == "with_whom":
        labels = dict(WithWhom.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if name == "triangle":
        return " / ".join(part or "–" for part in value)
    return str(value)


def section_label(key: str, snapshot: dict) -> str:
    if key.startswith("year-"):
        number = int(key.removeprefix("year-"))
        title = next((y["title"] for y in snapshot["years"] if y["number"] == number), "")
        return title or _("Year %(number)s") % {"number": number}
    return {
        "ambition": _("Ambition and framing"),
        "guardrails": _("Guardrails"),
        "relay": _("Relay questions and answers"),
        "photos": _("Brown paper"),
        "impact": _("Impact: quotes and PQR reasonings"),
        "final": _("Final session"),
    }[key]


def _photo_src(photo: dict, index: int, mode: str, slug: str, version_pk: int) -> str:
    if mode == "html":
        return reverse("brochure_photo", args=[slug, version_pk, index])
    return (Path(settings.MEDIA_ROOT) / photo["file"]).resolve().as_uri()


def present(snapshot: dict, *, mode: str = "html", slug: str = "", version_pk: int = 0, previous=None) -> dict:
    """Template context for a version's document. `mode` is "html" (photos through the app,
    with its permission check) or "pdf" (photos as file URLs the safe fetcher serves)."""
    labels = {
        "learning_type": dict(LearningType.choices),
        "modality": dict(Modality.choices),
    }
    years = []
    for year in snapshot["years"]:
        activities = [
            {
                **a,
                "learning_type_label": labels["learning_type"].get(a["learning_type"], a["learning_type"]),
                "modality_label": labels["modality"].get(a["modality"], a["modality"]),
                "with_whom_label": value_label("with_whom", a["with_whom"]),
                "has_triangle": any(a["triangle"]),
            }
            for a in year["activities"]
        ]
        load = SimpleNamespace(**year["load"])
        years.append(
            {
                **year,
                "activities": activities,
                "display_title": year["title"] or _("Year %(number)s") % {"number": year["number"]},
                "charts": [
                    bar_chart(_("Learning types"), load.learning_types, LearningType.choices),
                    bar_chart(_("Modality"), load.modality, Modality.choices),
                ],
                "section": f"year-{year['number']}",
            }
        )
    guardrails = [SnapshotGuardrail(**g) for g in snapshot["guardrails"]]
    lanes = dict(Lane.choices)
    speakers = dict(Speaker.choices)
    changes = domain.changelog(previous, snapshot) if previous is not None else None
    return {
        "doc": snapshot,
        "programme_doc": snapshot["programme"],
        "years": years,
        "guardrails": guardrails,
        "guardrail_chart": guardrail_chart(guardrails),
        "inventory": [(str(lanes.get(lane, lane)), cards) for lane, cards in snapshot["inventory"].items()],
        "photos": [
            {**p, "src": _photo_src(p, i, mode, slug, version_pk), "portrait": p["height"] > p["width"]}
            for i, p in enumerate(snapshot["photos"])
        ],
        "quotes": [{**q, "speaker_label": speakers.get(q["speaker"], q["speaker"])} for q in snapshot["quotes"]],
        "changes": changes,
        "change_rows": _change_rows(changes) if changes else [],
        "sections": [(key, section_label(key, snapshot)) for key in domain.sections(snapshot)],
    }


def _change_rows(changes: domain.Changelog) -> list[dict]:
    rows = []
    for change in changes.activities:
        rows.append(
            {
                "year": change.year,
                "title": change.title,
                "kind": change.kind,
                "fields": [
                    (field_label(f.field), value_label(f.field, f.before), value_label(f.field, f.after))
                    for f in change.fields
                ],
            }
        )
    return rows
