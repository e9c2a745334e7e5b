"""E-mail alerts without an account, end to end against a real SMTP server (aiosmtpd) and the
real task worker: subscribe to a view, confirm by the link received, a new initiative is
published, the digest brings it, and its unsubscribe link — one click, RFC 8058 — works."""

import email
import re
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Subscription
from curation.moderation import transition
from initiatives.models import Initiative, Status
from tests.factories import PendingInitiativeFactory
from tests.test_submission_email_tasks import Mailbox, run_worker, use_smtp

pytestmark = pytest.mark.django_db(transaction=True)

SMTP_PORT = 8253
SUBSCRIBE = "/alerts/subscribe/?theme=alimentation&territory=rhone-alpes-test"
LINK = re.compile(r"http://alerts\.example\S+")


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    use_smtp(settings, SMTP_PORT)
    settings.SITE_URL = "http://alerts.example"
    yield box
    controller.stop()


def messages(mailbox):
    return [email.message_from_string(body, policy=policy.default) for _, body in mailbox.messages]


def text_of(message):
    return message.get_body(("plain",)).get_content()


def path_of(url):
    return url.removeprefix("http://alerts.example")


def a_week_passes():
    Subscription.objects.update(digest_since=timezone.now() - timedelta(days=7, minutes=1))


@pytest.fixture
def old_world(world):
    """The directory as it stood a month ago: nothing in it is news any more."""
    Initiative.objects.published().update(published_at=timezone.now() - timedelta(days=30))
    return world


def test_subscribe_confirm_publish_digest_unsubscribe(client, old_world, mailbox):
    world = old_world
    # Someone asks for a weekly alert on food in the region.
    page = client.get(SUBSCRIBE)
    assert page.status_code == 200
    assert "Alimentation" in page.content.decode()
    response = client.post(SUBSCRIBE, {"email": "Lou@Example.org", "frequency": "weekly"})
    assert response.status_code == 302
    run_worker()

    # One message, the confirmation: nothing else until it is followed.
    (confirmation,) = messages(mailbox)
    assert confirmation["To"] == "lou@example.org"
    confirm_url = LINK.search(text_of(confirmation))[0]
    assert "/alerts/confirm/" in confirm_url
    call_command("send_digests", verbosity=0)
    assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()

    # Following the link shows a button (mail scanners follow links); pressing it confirms.
    assert client.get(path_of(confirm_url)).status_code == 200
    assert not Subscription.objects.get().confirmed_at
    assert client.post(path_of(confirm_url)).status_code == 200
    assert Subscription.objects.get().confirmed_at

    # A curator publishes a new food initiative in the region, and another elsewhere.
    canteen = PendingInitiativeFactory(
        name="Cantine du quartier", commune=world.city, themes=[world.food]
    )
    elsewhere = PendingInitiativeFactory(
        name="Crêperie bretonne", commune=world.medium, themes=[world.food]
    )
    for initiative in (canteen, elsewhere):
        transition(initiative, Status.PUBLISHED, by=None)

    # A week later the scheduler runs the digests, twice (idempotent), and the worker sends.
    a_week_passes()
    call_command("send_digests", verbosity=0)
    call_command("send_digests", verbosity=0)
    run_worker()

    digests = messages(mailbox)[1:]
    assert len(digests) == 1
    digest = digests[0]
    body = text_of(digest)
    assert "Cantine du quartier" in body
    assert f"http://alerts.example{canteen.get_absolute_url()}" in body
    assert "Crêperie bretonne" not in body
    assert "Atelier de réparation" not in body  # published long before the subscription
    unsubscribe_url = digest["List-Unsubscribe"].strip("<>")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest["List-Id"] == "ssemap alerts <alerts.alerts.example>"
    assert digest["Auto-Submitted"] == "auto-generated"
    assert unsubscribe_url in body

    # The mail program's one-click unsubscribe: a POST, no page, no token but the link's.
    client.handler.enforce_csrf_checks = True
    response = client.post(
        path_of(unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()  # the address is deleted

    # Nothing more, ever.
    a_week_passes()
    call_command("send_digests", verbosity=0)
    run_worker()
    assert len(mailbox.messages) == 2
