from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make the site usable: territories, reference data and demo data, each loaded "
        "only where missing, so running it again is quick."
    )

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=int, default=500)

    def handle(self, *args, samples, **options):
        call_command("load_territories", if_missing=True, stdout=self.stdout)
        call_command("load_reference", stdout=self.stdout)
        call_command("load_demo", samples=samples, stdout=self.stdout)
        call_command("load_solutions", stdout=self.stdout)
