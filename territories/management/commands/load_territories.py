from django.core.management.base import BaseCommand

from territories.loader import is_loaded, load_dataset, read_dataset


class Command(BaseCommand):
    help = "Load the regions, departments, EPCIs and communes shipped in fixtures/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when every territory is already loaded.",
        )

    def handle(self, *args, if_missing=False, **options):
        dataset = read_dataset()
        if if_missing and is_loaded(dataset):
            self.stdout.write("Territories already loaded.")
            return
        counts = load_dataset(dataset)
        self.stdout.write(
            "Loaded {regions} regions, {departments} departments, {epcis} EPCIs, "
            "{communes} communes.".format(**counts)
        )
        report = dataset["report"]
        self.stdout.write(
            f"Coordinates: {report['geonames']} from GeoNames, {report['epci'] + report['department']}"
            f" from a fallback centre, {report['none']} without."
        )
