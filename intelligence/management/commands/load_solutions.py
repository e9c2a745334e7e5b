from django.core.management.base import BaseCommand

from intelligence.catalogue import link_demo_initiatives, load_catalogue


class Command(BaseCommand):
    help = (
        "Create the solution models of the catalogue that are missing (existing rows stay as "
        "curators edited them), and link the demo initiatives to them by name (marked generated)."
    )

    def handle(self, *args, **options):
        created = load_catalogue()
        linked = link_demo_initiatives()
        self.stdout.write(f"Solution models: {created} created; {linked} demo links added.")
