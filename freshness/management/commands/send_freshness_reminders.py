"""Ask the people of entries not confirmed for a while whether they are still accurate, and
mark as stale those not confirmed for longer; one follow-up to reminders left unanswered. Run
daily by a scheduler (docs/DEPLOY.md).

Idempotent: a reminder is recorded (unique per initiative and confirmation date) before its
e-mail is queued, in one transaction, so a second run — even at the same time — sends nothing
twice; the next reminder waits for the next confirmation date plus the period.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from freshness import emails
from freshness.models import Reminder
from initiatives.models import Initiative, Status


class Command(BaseCommand):
    help = "Send the freshness reminders that are due and mark stale entries."

    def handle(self, *args, **options):
        now = timezone.now()
        remind_before = now - timedelta(days=settings.FRESHNESS_REMIND_AFTER_DAYS)
        stale_before = now - timedelta(days=settings.FRESHNESS_STALE_AFTER_DAYS)
        sent = sum(1 for _ in self.remind(remind_before))
        follow_before = now - timedelta(days=settings.FRESHNESS_FOLLOW_UP_AFTER_DAYS)
        followed = sum(1 for _ in self.follow_up(follow_before))
        published = Initiative.objects.published()
        # Stored, so pages, map payloads and their caches follow the data versions.
        newly_stale = published.filter(stale=False, confirmed_at__lt=stale_before).update(
            stale=True
        )
        # Confirmed meanwhile (a curator, a lowered setting): no longer stale.
        published.filter(stale=True, confirmed_at__gte=stale_before).update(stale=False)
        self.stdout.write(
            f"{sent} reminders and {followed} follow-ups queued, {newly_stale} entries newly stale."
        )

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

    def follow_up(self, follow_before):
        """Once, to reminders nobody answered, if the entry is still unconfirmed since (same
        confirmation date): the same e-mail, its links made again for the current address."""
        unanswered = Reminder.objects.filter(
            answered_at__isnull=True,
            followed_up_at__isnull=True,
            sent_at__lt=follow_before,
            initiative__status=Status.PUBLISHED,
            initiative__confirmed_at=F("confirmed_at"),
        ).exclude(initiative__contact_email="")
        for reminder in list(unanswered.select_related("initiative")):
            with transaction.atomic():
                claimed = Reminder.objects.filter(
                    pk=reminder.pk, followed_up_at__isnull=True
                ).update(followed_up_at=timezone.now())
                if not claimed:  # another run got there first
                    continue
                emails.send_reminder(reminder.initiative, follow_up=True)
            yield reminder
