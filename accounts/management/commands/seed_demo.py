from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seeders


class Command(BaseCommand):
    help = "Load demo data (organisations, demo accounts…). Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load it even with DEBUG off (the demo accounts share a published password).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo accounts (one of them staff) "
                "have a published password. Use --force on a demo server only."
            )
        logins: list[tuple[str, str]] = []
        with transaction.atomic():
            for seeder in seeders():
                logins.extend(seeder())
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        if logins:
            self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
            width = max(len(email) for _role, email in logins)
            for role, email in logins:
                self.stdout.write(f"  {email:<{width}}  {role}")
            self.stdout.write("")
