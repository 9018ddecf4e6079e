"""Server-made SVG of guardrail values against their targets (the mixes reuse programmes.charts)."""

from __future__ import annotations

from dataclasses import dataclass

STATUS_COLOURS = {"met": "#009E73", "near": "#E69F00", "breached": "#D55E00"}
TRACK = 200
TRACK_X = 210
ROW = 34


@dataclass(frozen=True)
class GuardrailBar:
    name: str
    value_text: str
    width: float
    low_x: float
    high_x: float | None
    colour: str
    y: int

    @property
    def band_width(self) -> float:
        return round((self.high_x or self.low_x) - self.low_x, 1)

    @property
    def text_y(self) -> int:
        return self.y + 19


@dataclass(frozen=True)
class GuardrailChart:
    bars: list[GuardrailBar]

    @property
    def height(self) -> int:
        return ROW * len(self.bars) + 6


def guardrail_chart(guardrails) -> GuardrailChart | None:
    """One bar per computed guardrail: its overall value, with the target as a line (and a band
    for "between"). Percentages run 0–100; study load 0 to 1.5 × the target or the value."""
    bars = []
    for g in guardrails:
        if g.value is None or g.target is None or g.metric == "qualitative":
            continue
        target = float(g.target)
        high = float(g.target_high) if g.target_high is not None else None
        scale = 100.0 if g.is_percent else max(target * 1.5, g.value * 1.1, 0.1)
        width = round(min(g.value / scale, 1.0) * TRACK, 1)
        value_text = f"{g.value:g}%" if g.is_percent else f"{g.value:g} h"
        bars.append(
            GuardrailBar(
                name=g.name[:40],
                value_text=value_text,
                width=width,
                low_x=TRACK_X + round(min(target / scale, 1.0) * TRACK, 1),
                high_x=TRACK_X + round(min(high / scale, 1.0) * TRACK, 1) if high is not None else None,
                colour=STATUS_COLOURS.get(g.status or "", "#6c757d"),
                y=len(bars) * ROW,
            )
        )
    return GuardrailChart(bars) if bars else None
