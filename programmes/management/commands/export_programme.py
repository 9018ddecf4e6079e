"""Export a whole programme (rows and media) to a zip archive."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from programmes.exchange import ExchangeError, export_programme
from programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Write programme SLUG with everything in it (years, sessions, polls, relay, photos, vlogs, "
        "brochure versions, dialogues) to a zip archive that import_programme reads back. "
        "See docs/export-import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the programme to export")
        parser.add_argument("--output", required=True, help="the zip file to write, e.g. demo.zip")

    def handle(self, *args, **options):
        programme = Programme.objects.filter(slug=options["slug"]).first()
        if programme is None:
            raise CommandError(f"There is no programme with the slug {options['slug']!r}.")
        try:
            export_programme(programme, output=options["output"])
        except ExchangeError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror or exc}") from exc
        self.stdout.write(f"Exported {programme.slug} to {options['output']}")
