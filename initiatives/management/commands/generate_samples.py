from django.core.management.base import BaseCommand, CommandError

from initiatives.demo import generate_samples


class Command(BaseCommand):
    help = (
        "Generate COUNT published sample initiatives in communes drawn by population. "
        "They are marked as sample data in the database and on every page."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError("COUNT must be a positive number.")
        generate_samples(count, seed=seed)
        self.stdout.write(f"Generated {count} sample initiatives.")
