"""Subscribing to a view without an account: the address is kept only while it serves, the
links are signed, nobody learns who is subscribed, and the digests are sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from alerts import links
from alerts.digests import send_digests
from alerts.models import Frequency, Subscription
from initiatives.models import Initiative
from tests.factories import InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/alerts/subscribe/"


@pytest.fixture
def old_world(world):
    Initiative.objects.published().update(published_at=timezone.now() - timedelta(days=30))
    return world


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run ``action`` and send what it queued (the immediate task backend, locmem mail)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def subscribe(client, query="theme=alimentation", email="lou@example.org", **data):
    return client.post(f"{SUBSCRIBE}?{query}", {"email": email, "frequency": "weekly", **data})


def confirmed(email="lou@example.org", query="theme=alimentation", **fields):
    now = timezone.now()
    fields = {"language": "fr", **fields}
    return Subscription.objects.create(
        email=email, query=query, confirmed_at=now, digest_since=now, **fields
    )


def test_a_bad_view_cannot_be_subscribed_to_and_the_page_says_why(client, world):
    response = client.get(f"{SUBSCRIBE}?theme=nope&territory=atlantide")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Territoire inconnu." in text and "nope" in text
    assert subscribe(client, "theme=nope").status_code == 400
    assert not Subscription.objects.exists()


def test_the_view_is_stored_once_whatever_its_order_page_or_repetitions(client, world, send):
    send(subscribe, client, "page=2&theme=mobilite&sort=name&theme=alimentation&theme=mobilite")
    send(subscribe, client, "theme=alimentation&theme=mobilite")
    (subscription,) = Subscription.objects.all()
    assert subscription.query == "theme=alimentation&theme=mobilite"


def test_asking_again_says_the_same_and_tells_nobody_who_is_subscribed(client, world, send):
    confirmed()
    response = send(subscribe, client)
    assert response.status_code == 302
    assert Subscription.objects.count() == 1
    # Only the address itself learns anything: a new confirmation link, in its mailbox.
    assert [m.to for m in mail.outbox] == [["lou@example.org"]]


def test_a_bot_filling_the_hidden_field_stores_nothing(client, world, send):
    response = send(subscribe, client, homepage="http://spam.example")
    assert response.status_code == 302
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_subscriptions_are_rate_limited_per_address(client, world, settings):
    settings.ALERT_RATE_LIMIT = 2
    assert subscribe(client, email="a@example.org").status_code == 302
    assert subscribe(client, email="b@example.org").status_code == 302
    response = subscribe(client, email="c@example.org")
    assert response.status_code == 429
    assert Subscription.objects.count() == 2


def test_never_confirmed_addresses_are_deleted_once_their_link_expired(client, world, settings):
    subscribe(client)
    keep = confirmed(email="kept@example.org")
    Subscription.objects.filter(confirmed_at__isnull=True).update(
        created_at=timezone.now() - timedelta(days=settings.ALERT_CONFIRM_DAYS, minutes=1)
    )
    call_command("send_digests", verbosity=0)
    assert list(Subscription.objects.all()) == [keep]


def test_a_confirmation_link_expires_and_cannot_be_forged(client, world, settings):
    subscribe(client)
    subscription = Subscription.objects.get()
    token = links.confirm_token(subscription, Frequency.MONTHLY)
    assert client.get(f"/alerts/confirm/{token[:-2]}xx/").status_code == 404
    assert client.post(f"/alerts/confirm/{token}/").status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at and subscription.frequency == Frequency.MONTHLY
    settings.ALERT_CONFIRM_DAYS = 0
    response = client.get(f"/alerts/confirm/{token}/")
    assert response.status_code == 404
    assert "Ce lien n’est pas valide" in response.content.decode()


def test_unsubscribing_asks_once_on_the_page_and_deletes_the_address(client, world):
    subscription = confirmed()
    url = f"/alerts/unsubscribe/{links.unsubscribe_token(subscription)}/"
    page = client.get(url)
    assert page.status_code == 200 and '<form method="post">' in page.content.decode()
    assert Subscription.objects.exists()  # a link scanner's GET changes nothing
    assert client.post(url).status_code == 200
    assert not Subscription.objects.exists()
    assert client.post(url).status_code == 200  # a second click is not an error
    assert client.post("/alerts/unsubscribe/forged:token/").status_code == 404


def test_digests_are_sent_once_when_due_and_only_with_news(old_world, send):
    weekly, monthly = confirmed(), confirmed(email="m@example.org", frequency="monthly")
    quiet = confirmed(email="q@example.org", query="theme=mobilite")
    week_ago = timezone.now() - timedelta(days=7, minutes=1)
    Subscription.objects.update(digest_since=week_ago)
    InitiativeFactory(name="Cantine solidaire", commune=old_world.city, themes=[old_world.food])

    assert send(send_digests) == 1  # the weekly one: monthly is not due, quiet has no news
    assert send(send_digests) == 0
    assert [m.to for m in mail.outbox] == [["lou@example.org"]]
    assert "Cantine solidaire" in mail.outbox[0].body
    assert mail.outbox[0].subject == "1 nouvelle initiative dans votre alerte ssemap"
    for subscription in (weekly, quiet):
        subscription.refresh_from_db()
        assert subscription.digest_since > week_ago  # the next digest starts from here
    monthly.refresh_from_db()
    assert monthly.digest_since == week_ago


def test_a_digest_speaks_the_subscribers_language(old_world, send):
    confirmed(language="en")
    Subscription.objects.update(digest_since=timezone.now() - timedelta(days=8))
    InitiativeFactory(name="Cantine solidaire", commune=old_world.city, themes=[old_world.food])
    send(send_digests)
    (message,) = mail.outbox
    assert message.subject == "1 new initiative in your ssemap alert"
    assert "http://127.0.0.1:8000/en/initiatives/" in message.body
    assert "/en/alerts/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_nobody_can_fill_someone_elses_mailbox_with_confirmations(client, world, send, settings):
    settings.ALERT_RATE_LIMIT = 100  # as if from many connections
    views = ["theme=alimentation", "theme=mobilite", "low_tech=1", "legal_form=scic", "q=vélo"]
    for query in views:
        assert send(subscribe, client, query, email="victim@example.org").status_code == 302
    assert len(mail.outbox) == settings.ALERT_PENDING_PER_ADDRESS
    assert Subscription.objects.count() == settings.ALERT_PENDING_PER_ADDRESS
    # Once confirmed (so wanted), more views may be followed.
    Subscription.objects.update(confirmed_at=timezone.now(), digest_since=timezone.now())
    assert send(subscribe, client, "theme=habitat-energie", email="victim@example.org")
    assert len(mail.outbox) == settings.ALERT_PENDING_PER_ADDRESS + 1


def test_a_view_too_long_to_store_is_refused_with_a_reason(client, world):
    themes = [ThemeFactory(slug=f"un-theme-au-nom-assez-long-{n:02d}") for n in range(70)]
    query = "&".join(f"theme={theme.slug}" for theme in themes)
    response = subscribe(client, query)
    assert response.status_code == 400
    assert "trop de filtres" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_monthly_digest_is_due_a_calendar_month_later_and_a_daily_run_may_be_early():
    from datetime import datetime

    from alerts.digests import DUE_MARGIN, add_month, next_due

    tz = timezone.get_current_timezone()
    assert add_month(datetime(2027, 1, 31, 7, tzinfo=tz)) == datetime(2027, 2, 28, 7, tzinfo=tz)
    assert add_month(datetime(2026, 12, 15, tzinfo=tz)) == datetime(2027, 1, 15, tzinfo=tz)
    weekly = Subscription(frequency="weekly", digest_since=datetime(2027, 3, 1, 7, tzinfo=tz))
    assert next_due(weekly) == datetime(2027, 3, 8, 7, tzinfo=tz)
    assert timedelta(days=1) > DUE_MARGIN  # never two digests from two daily runs


def test_a_daily_run_a_little_earlier_than_last_week_still_sends(old_world, send):
    confirmed()
    # Last week's run was at 07:00:30; today's starts at 07:00:05.
    Subscription.objects.update(
        digest_since=timezone.now() - timedelta(days=7) + timedelta(seconds=25)
    )
    InitiativeFactory(name="Cantine solidaire", commune=old_world.city, themes=[old_world.food])
    assert send(send_digests) == 1
