"""E-mail leaves the request: a submission is stored and answered without talking to the mail
server; a real worker sends the messages later, and tries again when the server fails.

Real SMTP servers on loopback: aiosmtpd (accepting, or refusing with a temporary error) and a
socket that accepts connections and never says a word (a hung server)."""

import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from initiatives.models import Initiative
from tests.factories import CommuneFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)

SUBMIT = "/initiatives/submit/"
SMTP_PORT, HUNG_PORT = 8251, 8252


class Mailbox:
    """An aiosmtpd handler keeping what it accepts; refuses the first ``refuse`` messages."""

    def __init__(self, refuse=0):
        self.refuse, self.messages = refuse, []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def mail_server(settings):
    """An SMTP server on loopback, and the site set to send through it with the task queue."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    use_smtp(settings, SMTP_PORT)
    yield mailbox
    controller.stop()


@pytest.fixture
def hung_server(settings):
    """A server that accepts connections and never answers (counting them)."""
    listener = socket.create_server(("127.0.0.1", HUNG_PORT))
    accepted, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    use_smtp(settings, HUNG_PORT)
    yield accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def use_smtp(settings, port):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 1},
        }
    }
    settings.CURATOR_EMAILS = ["curators@example.org"]


@pytest.fixture
def submission():
    commune = CommuneFactory(name="Villeneuve-Test")
    return {
        "name": "Atelier vélo du Port",
        "summary": "Un atelier de réparation de vélos.",
        "themes": [ThemeFactory().pk],
        "commune": str(commune),
        "commune_code": commune.code,
        "submitter_name": "Camille",
        "submitter_email": "camille@example.org",
        "consent": "on",
    }


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def queued():
    return DBTaskResult.objects.filter(status="READY")


def test_a_submission_answers_without_waiting_for_a_hung_mail_server(
    client, submission, hung_server
):
    response = client.post(SUBMIT, submission)

    assert response.status_code == 302
    assert Initiative.objects.filter(status="pending").count() == 1
    assert hung_server == []  # the request never spoke to the mail server
    assert queued().count() == 2  # curators + acknowledgement

    run_worker()  # each attempt times out after 1 s, and is queued again for later

    assert len(hung_server) == 2
    retries = list(queued())
    assert len(retries) == 2
    assert all(task.run_after > timezone.now() for task in retries)
    assert {task.args_kwargs["kwargs"]["attempt"] for task in retries} == {2}


def test_a_refused_message_is_sent_by_a_later_worker_run(client, submission, mail_server):
    mail_server.refuse = 2  # both first attempts get a temporary refusal
    assert client.post(SUBMIT, submission).status_code == 302
    assert mail_server.messages == []

    run_worker()
    assert mail_server.messages == []
    assert queued().count() == 2
    queued().update(run_after=timezone.now())  # the retry delay has passed

    run_worker()
    recipients = sorted(rcpt for rcpts, _ in mail_server.messages for rcpt in rcpts)
    assert recipients == ["camille@example.org", "curators@example.org"]
    assert not queued().exists()
    ack = next(body for rcpts, body in mail_server.messages if rcpts == ["camille@example.org"])
    assert "Atelier vélo du Port" not in ack and "Camille" not in ack


def test_the_worker_gives_up_after_the_last_retry(client, submission, mail_server):
    from contributions.emails import RETRY_DELAYS

    mail_server.refuse = 1000
    assert client.post(SUBMIT, submission).status_code == 302
    for _ in range(len(RETRY_DELAYS) + 1):
        queued().update(run_after=timezone.now())
        run_worker()
    assert not queued().exists()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 2 * (len(RETRY_DELAYS) + 1)
