from django.core.management.base import BaseCommand, CommandError

from intelligence.programmes import import_memberships


class Command(BaseCommand):
    help = (
        "Import programme membership from a CSV with the columns programme, code (INSEE code "
        "of a commune or SIREN of an intercommunality), year, source."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                report = import_memberships(handle)
        except OSError as error:
            raise CommandError(str(error)) from error
        for error in report.errors:
            self.stderr.write(error)
        self.stdout.write(
            f"Programme membership: {report.added} added, {report.updated} updated, "
            f"{len(report.errors)} rows refused."
        )
