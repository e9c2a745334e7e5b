from django.core.management.base import BaseCommand

from initiatives import tallies
from territories.loader import (
    is_loaded,
    load_dataset,
    load_outlines,
    outlines_loaded,
    read_dataset,
    read_outlines,
)


class Command(BaseCommand):
    help = (
        "Load the regions, departments, EPCIs and communes shipped in fixtures/, "
        "then their outlines."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when every territory (and outline) is already loaded.",
        )
        parser.add_argument(
            "--without-outlines",
            action="store_true",
            help="Load the territories only (faster; the maps then draw no outline).",
        )

    def handle(self, *args, if_missing=False, without_outlines=False, **options):
        dataset = read_dataset()
        if if_missing and is_loaded(dataset):
            self.stdout.write("Territories already loaded.")
        else:
            counts = load_dataset(dataset)
            # Size classes and chains may have changed under existing initiatives: the tallies
            # follow writes to initiatives, not to territories.
            tallies.rebuild()
            self.stdout.write(
                "Loaded {regions} regions, {departments} departments, {epcis} EPCIs, "
                "{communes} communes.".format(**counts)
            )
            report = dataset["report"]
            fallback = report["geonames"] + report["epci"] + report["department"] + report["seat"]
            self.stdout.write(
                f"Commune points: {report.get('town_hall', 0)} at the town hall, "
                f"{report.get('interior', 0)} inside their outline, {fallback} from a fallback, "
                f"{report['none']} without."
            )
        if without_outlines:
            return
        outlines = read_outlines()
        if if_missing and outlines_loaded(outlines):
            self.stdout.write("Outlines already loaded.")
            return
        self.stdout.write(f"Loaded {load_outlines(outlines)} outlines.")
