from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from brochure import domain, workflow
from programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Publish the current design of programme <slug> as a new brochure version (a draft) and print its "
        "number. Minor by default (1.0 → 1.1); --major starts a new major (1.1 → 2.0). Fails, making nothing, "
        "when nothing changed since the latest version."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--major", action="store_true", help="Number it as a new major version.")
        parser.add_argument("--note", default="", help="What changed, in one line.")

    def handle(self, *args, **options):
        try:
            programme = Programme.objects.get(slug=options["slug"])
        except Programme.DoesNotExist as exc:
            raise CommandError(f"No programme with slug {options['slug']!r}.") from exc
        try:
            version = workflow.publish(programme, None, major=options["major"], note=options["note"])
        except domain.NothingChanged as exc:
            latest = workflow.latest_version(programme)
            raise CommandError(f"Nothing changed since version {latest.number}; no version was made.") from exc
        self.stdout.write(version.number)
