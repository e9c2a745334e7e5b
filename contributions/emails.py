"""E-mails about submissions: curators are told, submitters get an acknowledgement.

The request renders each message and hands it to a task (Django's ``django.tasks``): with the
database backend (``TASK_BACKEND=database``, production) a worker sends it (``make worker``,
docs/DEPLOY.md), so a slow or hung mail server never holds up a submission, and a refused or
failed delivery is tried again later. Enqueued after the transaction commits, so that nobody is
told about a row that was rolled back.

No text typed by a submitter goes to the submitter's address: that address is not verified,
and the acknowledgement would otherwise let anyone send their own words to anyone.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from curation.permissions import curator_addresses

logger = logging.getLogger(__name__)

# Seconds before each new try after a failure: 1 min, 5 min, 30 min, 2 h, then given up.
RETRY_DELAYS = (60, 300, 1800, 7200)


@task
def send_email(subject, body, recipients, attempt=1, reply_to=(), headers=None):
    """Send one message; on a mail server failure, try again later (a deferred copy).

    ``reply_to``: who answers reach (a relayed message); ``headers``: extra headers, such as
    an alert digest's ``List-Unsubscribe``.
    """
    try:
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
            reply_to=list(reply_to),
            headers=headers,
        ).send()
    except OSError:  # smtplib's errors, refusals, timeouts, connection errors
        retry = attempt <= len(RETRY_DELAYS) and send_email.get_backend().supports_defer
        if not retry:
            logger.exception("Gave up sending “%s” after %s attempts", subject, attempt)
            raise
        delay = timedelta(seconds=RETRY_DELAYS[attempt - 1])
        send_email.using(run_after=timezone.now() + delay).enqueue(
            subject,
            body,
            recipients,
            attempt=attempt + 1,
            reply_to=reply_to,
            headers=headers,
        )
        logger.warning(
            "Could not send “%s” (attempt %s), trying again in %s", subject, attempt, delay
        )
        raise  # this attempt is recorded as failed; the next one is queued


def _enqueue(subject, template, context, recipients):
    if not recipients:
        return
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_email.enqueue(str(subject), body, list(recipients)))


def notify_new_submission(initiative, *, review_url):
    """Tell the curators (in the site's default language) about a new pending initiative."""
    with translation.override(settings.LANGUAGE_CODE):
        _enqueue(
            _("New initiative to review: %(name)s") % {"name": initiative.name},
            "contributions/emails/submission_curators.txt",
            {"initiative": initiative, "review_url": review_url},
            curator_addresses(),
        )


def acknowledge_submission(initiative):
    """Thank the submitter, in the language they used, without repeating anything they typed."""
    _enqueue(
        _("We received your submission"),
        "contributions/emails/submission_ack.txt",
        {},
        [initiative.submitter_email],
    )


def notify_new_correction(correction, *, review_url):
    with translation.override(settings.LANGUAGE_CODE):
        _enqueue(
            _("Correction suggested for %(name)s") % {"name": correction.initiative.name},
            "contributions/emails/correction_curators.txt",
            {"correction": correction, "review_url": review_url},
            curator_addresses(),
        )
