from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

FIXTURE = settings.BASE_DIR / "fixtures" / "reference.json"


class Command(BaseCommand):
    help = (
        "Create the themes, practices, legal forms, low-tech qualities, action levers and "
        "programmes of fixtures/reference.json that are missing. Existing rows are left as "
        "curators edited them (use loaddata reference to overwrite them)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        with open(FIXTURE, encoding="utf-8") as handle:
            for item in serializers.deserialize("json", handle, handle_forward_references=True):
                # Natural keys resolve to the existing row's pk; no pk means a new row.
                if item.object.pk is None:
                    item.save()
                    created += 1
        self.stdout.write(f"Reference data: {created} rows created.")
