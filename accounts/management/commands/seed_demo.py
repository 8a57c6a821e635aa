from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seeders


class Command(BaseCommand):
    help = "Load demo data (organisations, demo accounts…). Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
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
