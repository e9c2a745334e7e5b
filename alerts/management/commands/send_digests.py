from django.core.management.base import BaseCommand

from alerts.digests import purge_unconfirmed, send_digests


class Command(BaseCommand):
    help = (
        "Queue the alert digests that are due (weekly, monthly) and delete the addresses never "
        "confirmed. Idempotent: run it daily from a scheduler (docs/DEPLOY.md)."
    )

    def handle(self, *args, **options):
        purged = purge_unconfirmed()
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) queued, {purged} unconfirmed address(es) deleted.")
