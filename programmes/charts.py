"""Server-made SVG bar charts: the same picture in the browser and (later) in the PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from programmes.models import LearningType, Modality, WithWhom

# Colour-blind-safe palette (Okabe–Ito), one colour per category.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
BAR_WIDTH = 140
BAR_X = 155
ROW_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    label: str
    share: float
    width: float
    y: int
    colour: str

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def text_y(self) -> int:
        return self.y + 16

    @property
    def value_x(self) -> float:
        return BAR_X + self.width + 6


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    bar_x: int = BAR_X
    bar_width: int = BAR_WIDTH

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars)

    @property
    def summary(self) -> str:
        return ", ".join(f"{bar.label} {bar.percent}%" for bar in self.bars)


def bar_chart(title: str, shares: dict[str, float], choices) -> Chart:
    labels = dict(choices)
    bars = [
        Bar(
            label=str(labels[key]),
            share=shares.get(key, 0.0),
            width=round(shares.get(key, 0.0) * BAR_WIDTH, 1),
            y=index * ROW_HEIGHT,
            colour=PALETTE[index % len(PALETTE)],
        )
        for index, key in enumerate(labels)
    ]
    return Chart(title=title, bars=bars)


def mix_charts(summary) -> list[Chart]:
    return [
        bar_chart(_("Learning types"), summary.learning_types, LearningType.choices),
        bar_chart(_("Modality"), summary.modality, Modality.choices),
        bar_chart(_("With whom"), summary.with_whom, WithWhom.choices),
    ]
