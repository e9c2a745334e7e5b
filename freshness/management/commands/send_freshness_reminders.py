"""Ask the people of entries not confirmed for a while whether they are still accurate, and
mark as stale those not confirmed for longer. Run daily by a scheduler (docs/DEPLOY.md).

Idempotent: a reminder is recorded (unique per initiative and confirmation date) before its
e-mail is queued, in one transaction, so a second run — even at the same time — sends nothing
twice; the next reminder waits for the next confirmation date plus the period.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from freshness import emails
from freshness.models import Reminder
from initiatives.models import Initiative


class Command(BaseCommand):
    help = "Send the freshness reminders that are due and mark stale entries."

    def handle(self, *args, **options):
        now = timezone.now()
        remind_before = now - timedelta(days=settings.FRESHNESS_REMIND_AFTER_DAYS)
        stale_before = now - timedelta(days=settings.FRESHNESS_STALE_AFTER_DAYS)
        sent = sum(1 for _ in self.remind(remind_before))
        published = Initiative.objects.published()
        # Stored, so pages, map payloads and their caches follow the data versions.
        newly_stale = published.filter(stale=False, confirmed_at__lt=stale_before).update(
            stale=True
        )
        # Confirmed meanwhile (a curator, a lowered setting): no longer stale.
        published.filter(stale=True, confirmed_at__gte=stale_before).update(stale=False)
        self.stdout.write(f"{sent} reminders queued, {newly_stale} entries newly stale.")

    def remind(self, remind_before):
        asked = Reminder.objects.filter(
            initiative=OuterRef("pk"), confirmed_at=OuterRef("confirmed_at")
        )
        due = (
            Initiative.objects.published()
            .exclude(contact_email="")
            .filter(confirmed_at__lt=remind_before)
            .exclude(Exists(asked))
            .order_by("confirmed_at", "pk")
        )
        for initiative in list(due):  # read first: SQLite and open cursors under writes
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        initiative=initiative, confirmed_at=initiative.confirmed_at
                    )
                    emails.send_reminder(initiative)
            except IntegrityError:  # another run got there first
                continue
            yield initiative
