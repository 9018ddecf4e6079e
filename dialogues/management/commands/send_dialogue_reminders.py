from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from dialogues.notifications import base_url, send_reminders


class Command(BaseCommand):
    help = (
        "Send the day-before-closing reminder of every open dialogue that closes today or tomorrow to each "
        "invited person who has not answered every question and reacted to every proposal. Idempotent: each "
        "person gets one reminder per dialogue however often this runs, so run it daily from cron or a "
        "systemd timer (e.g. at 09:00). Links point at SITE_URL (setting) unless --base-url is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="", help="Start of the links in the mail, e.g. https://estafette.example.org"
        )
        parser.add_argument("--today", default="", help="Pretend today is this date (YYYY-MM-DD); for testing.")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today takes a date as YYYY-MM-DD, e.g. 2026-03-14.") from error
        result = send_reminders(today=today, url_base=options["base_url"] or base_url())
        self.stdout.write(
            f"Checked {result['dialogues']} dialogue(s) closing within a day; sent {result['sent']} reminder(s)."
        )
