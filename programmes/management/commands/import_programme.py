"""Import a programme from a zip archive made by export_programme."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programmes.exchange import ExchangeError, import_programme


class Command(BaseCommand):
    help = (
        "Create a programme from a zip archive made by export_programme, in one transaction: a bad "
        "archive leaves nothing behind. People are linked by username when the archive comes from this "
        "installation; from another installation they become new inactive accounts unless --link-users "
        "is given. Prints the new programme's slug and URL. See docs/export-import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the zip file to read")
        parser.add_argument("--slug", help="a new slug, when the archive's slug is taken or unwanted")
        parser.add_argument(
            "--link-users",
            action="store_true",
            help="link people to existing accounts with the same username even if the archive comes "
            "from another installation (only when you know they are the same people)",
        )

    def handle(self, *args, **options):
        try:
            with open(options["archive"], "rb") as handle:
                programme = import_programme(handle, slug=options["slug"], link_users=options["link_users"])
        except ExchangeError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {options['archive']}: {exc.strerror or exc}") from exc
        site = getattr(settings, "SITE_URL", "").rstrip("/")
        self.stdout.write(f"Imported programme {programme.slug}: {site}{programme.get_absolute_url()}")
