"""manage.py import_publications papers.csv [--dry-run]: see hub/importing.py for the columns."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hub import importing


class Command(BaseCommand):
    help = "Import publications from a CSV file; every row is checked before anything is written."

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path, help="the CSV file (PDF paths are read relative to it)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, csv: Path, dry_run: bool, **options):
        if not csv.is_file():
            raise CommandError(f"{csv} is not a file.")
        try:
            rows = importing.read(csv)
        except UnicodeDecodeError:
            raise CommandError(f"{csv} is not UTF-8 text: save it as CSV UTF-8 and try again.") from None
        problems = [(row.line, problem) for row in rows for problem in row.problems]
        for line, problem in problems:
            self.stderr.write(f"row {line}: {problem}")
        if problems:
            bad_rows = len({line for line, _problem in problems})
            raise CommandError(f"{len(problems)} problem(s) in {bad_rows} row(s); nothing was imported.")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"{len(rows)} row(s) can be imported (dry run: nothing was written).")
            )
            return
        made = importing.write(rows)
        numbers = ", ".join(str(p.number) for p in made)
        self.stdout.write(self.style.SUCCESS(f"{len(made)} publication(s) imported: {numbers}."))
