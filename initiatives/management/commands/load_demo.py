from django.core.management.base import BaseCommand

from initiatives.bulk import pipelined
from initiatives.demo import (
    generate_samples,
    insert_samples,
    load_seed_initiatives,
    sample_batches,
)
from initiatives.models import Initiative


class Command(BaseCommand):
    help = (
        "Load the real initiatives named in the seed documents and, unless there are "
        "already enough, generated sample initiatives (marked as samples)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--samples",
            type=int,
            default=500,
            help="How many sample initiatives the directory should hold (default 500).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed for samples.")
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=(
                "PostgreSQL: load the samples with the tallies' triggers off, then recount "
                "once (much faster for 100,000 rows and more; locks the tables meanwhile)."
            ),
        )

    def handle(self, *args, samples, seed, bulk, **options):
        created = load_seed_initiatives()
        self.stdout.write(f"Real initiatives from the seeds: {created} created, others updated.")
        missing = samples - Initiative.objects.samples().count()
        if missing > 0:
            if bulk:
                pipelined(sample_batches(missing, seed=seed, batch_size=5000), insert_samples)
            else:
                generate_samples(missing, seed=seed)
            self.stdout.write(f"Generated {missing} sample initiatives.")
        else:
            self.stdout.write("Sample initiatives already present.")
