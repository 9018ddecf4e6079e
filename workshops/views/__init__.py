"""Views of the workshops app, one module per part of the process (polls, sessions, …)."""
