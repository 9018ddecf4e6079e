from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brochure import pdf
from brochure.models import Version
from brochure.workflow import previous_version


class Command(BaseCommand):
    help = (
        "Render brochure version X.Y of programme <slug> to a PDF file (A4 brochure, or with --poster the "
        "one-page A3 poster). Writes through a temporary file, so a failed render leaves no half file."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the brochure version here: it replaces Django's own --version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--version", dest="number", required=True, help="The version number, e.g. 1.1.")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument("--poster", action="store_true", help="Render the A3 poster instead.")
        parser.add_argument("--language", default=None, help="nl or en (default: the site language).")

    def handle(self, *args, **options):
        try:
            major, minor = (int(part) for part in options["number"].split("."))
        except ValueError as exc:
            raise CommandError("Give the version as MAJOR.MINOR, e.g. 1.1.") from exc
        version = (
            Version.objects.select_related("programme")
            .filter(programme__slug=options["slug"], major=major, minor=minor)
            .first()
        )
        if version is None:
            raise CommandError(f"Programme {options['slug']!r} has no version {options['number']}.")
        target = Path(options["output"]).resolve()
        pages = pdf.render_to_file(
            version,
            target,
            kind="poster" if options["poster"] else "brochure",
            previous=previous_version(version),
            language=options["language"],
        )
        self.stdout.write(f"{target} ({pages} pages)")
