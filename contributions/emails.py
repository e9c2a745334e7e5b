"""E-mails about submissions: curators are told, submitters get an acknowledgement.

Sent after the transaction commits, so that nobody is told about a row that was rolled back.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from curation.permissions import curator_addresses

logger = logging.getLogger(__name__)


def _send(subject, template, context, recipients):
    if not recipients:
        return
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # A mail server outage must not lose the submission, already saved.
        logger.exception("Could not send %s to %s", template, recipients)


def notify_new_submission(initiative, *, review_url):
    """Tell the curators (in the site's default language) about a new pending initiative."""

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            _send(
                _("New initiative to review: %(name)s") % {"name": initiative.name},
                "contributions/emails/submission_curators.txt",
                {"initiative": initiative, "review_url": review_url},
                curator_addresses(),
            )

    transaction.on_commit(send)


def acknowledge_submission(initiative):
    """Thank the submitter, in the language they used."""
    language = translation.get_language()

    def send():
        with translation.override(language):
            _send(
                _("We received your initiative “%(name)s”") % {"name": initiative.name},
                "contributions/emails/submission_ack.txt",
                {"initiative": initiative},
                [initiative.submitter_email],
            )

    transaction.on_commit(send)


def notify_new_correction(correction, *, review_url):
    def send():
        with translation.override(settings.LANGUAGE_CODE):
            _send(
                _("Correction suggested for %(name)s") % {"name": correction.initiative.name},
                "contributions/emails/correction_curators.txt",
                {"correction": correction, "review_url": review_url},
                curator_addresses(),
            )

    transaction.on_commit(send)
