"""The kickoff's guardrail questions, ready to add with one click (in the facilitator's language)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from programmes.models import LearningType, WithWhom
from workshops.models import QuestionKind, Topic


def presets() -> dict[str, dict]:
    return {
        "hours": {
            "kind": QuestionKind.NUMBER,
            "prompt": _("How many hours a week do you grant yourself for learning?"),
            "minimum": Decimal("0"),
            "maximum": Decimal("8"),
            "step": Decimal("0.5"),
            "unit": _("hours a week"),
            "topic": Topic.STUDY_LOAD,
        },
        "learning_types": {
            "kind": QuestionKind.SPLIT,
            "prompt": _("Divide 100 points over the ways you like to learn."),
            "options": [str(label) for _key, label in LearningType.choices],
            "option_keys": list(LearningType.values),
            "topic": Topic.LEARNING_TYPES,
        },
        "face_to_face": {
            "kind": QuestionKind.NUMBER,
            "prompt": _("Which share of the learning should be face-to-face (the rest online)?"),
            "minimum": Decimal("0"),
            "maximum": Decimal("100"),
            "step": Decimal("10"),
            "unit": "%",
            "topic": Topic.FACE_TO_FACE,
        },
        "sync": {
            "kind": QuestionKind.NUMBER,
            "prompt": _("Of the online learning, which share should be live (synchronous)?"),
            "minimum": Decimal("0"),
            "maximum": Decimal("100"),
            "step": Decimal("10"),
            "unit": "%",
            "topic": Topic.SYNC,
        },
        "with_whom": {
            "kind": QuestionKind.SPLIT,
            "prompt": _("Divide 100 points over the people you want to learn with."),
            "options": [str(label) for _key, label in WithWhom.choices],
            "option_keys": list(WithWhom.values),
            "topic": Topic.WITH_WHOM,
        },
        "concerns": {
            "kind": QuestionKind.WORDS,
            "prompt": _("In a few words: what worries you about learning next to your work?"),
        },
    }


def preset_labels() -> list[tuple[str, str]]:
    return [
        ("hours", _("Hours per week")),
        ("learning_types", _("Learning-type mix")),
        ("face_to_face", _("Face-to-face vs online")),
        ("sync", _("Synchronous vs asynchronous")),
        ("with_whom", _("With whom")),
        ("concerns", _("Concerns (word cloud)")),
    ]
