"""Forms of the workshops app, one module per part of the process."""

from __future__ import annotations

from workshops.forms.polls import JoinForm, QuestionForm, SessionForm

__all__ = ["JoinForm", "QuestionForm", "SessionForm"]
