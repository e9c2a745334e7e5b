"""A real SMTP server for the freshness tests (aiosmtpd on loopback) and the task worker."""

import email
import email.policy
import re
import socket

from aiosmtpd.controller import Controller
from django.core.management import call_command


def free_port():
    """A port nothing listens on now (so two test runs on one machine never collide)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        return "250 OK"

    def to(self, address):
        return [message for rcpt, message in self.messages if address in rcpt]


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def links_in(message):
    return re.findall(r"https?://\S+", body(message))


def smtp_mailbox(settings):
    """An SMTP server, and the site sending through it from the database task queue (a
    generator, for a test module's ``mailbox`` fixture)."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    settings.SITE_URL = "http://testserver"
    yield box
    controller.stop()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def form_data(response):
    """What a form page shows, as a browser would send it back unchanged."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", False):
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    return data
