"""The e-mails of freshness and contact, each rendered here and sent by the one task,
``contributions.emails.send_email`` (retried; a worker in production, ``make worker``).

The reminder and the claim link go to the initiative's listed address only. The relayed
message goes to that address with the sender as ``Reply-To``; the sender's copy says whom it
was relayed to by name, never by address.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from contributions.emails import send_email

from . import links


def _enqueue(subject, template, context, recipients, reply_to=()):
    body = render_to_string(template, context)
    subject, recipients, reply_to = str(subject), list(recipients), list(reply_to)
    transaction.on_commit(lambda: send_email.enqueue(subject, body, recipients, reply_to=reply_to))


def send_reminder(initiative, follow_up=False):
    """The question "is it still accurate?", in the site's language, with the three signed
    links; ``follow_up``: the same, once more, to a reminder nobody answered."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Is %(name)s still as described?") % {"name": initiative.name}
        if follow_up:
            subject = _("Reminder: %(subject)s") % {"subject": subject}
        _enqueue(
            subject,
            "freshness/emails/reminder.txt",
            {
                "initiative": initiative,
                "max_age": settings.FRESHNESS_LINK_MAX_AGE_DAYS,
                **links.links_for(initiative),
            },
            [initiative.contact_email],
        )


def send_claim_link(initiative):
    """The link that confirms "this is my initiative", to the listed address only."""
    url = links.absolute(
        reverse("freshness:claim_confirm", args=[links.make_token(initiative, links.CLAIM)])
    )
    _enqueue(
        _("Confirm that %(name)s is your initiative") % {"name": initiative.name},
        "freshness/emails/claim.txt",
        {
            "initiative": initiative,
            "claim_url": url,
            "max_age": settings.FRESHNESS_LINK_MAX_AGE_DAYS,
        },
        [initiative.contact_email],
    )


def relay_message(initiative, *, name, email, message):
    """The visitor's message to the listed address (Reply-To: the visitor), and their copy."""
    context = {
        "initiative": initiative,
        "sender_name": name,
        "sender_email": email,
        "message": message,
        "page_url": links.absolute(initiative.get_absolute_url()),
    }
    _enqueue(
        _("A message about %(name)s, sent from ssemap") % {"name": initiative.name},
        "freshness/emails/relay.txt",
        context,
        [initiative.contact_email],
        reply_to=[email],
    )
    _enqueue(
        _("Copy of your message to %(name)s") % {"name": initiative.name},
        "freshness/emails/relay_copy.txt",
        context,
        [email],
    )
