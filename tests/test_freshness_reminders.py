"""Entries stay true: a year after their last confirmation, their people are asked by e-mail;
one click on "still accurate" moves the date, "it has closed" reaches the curators' queue, and
"update it" opens the correction form, marked as from the initiative's own people.

Real mail: an aiosmtpd server, the database task queue and its worker."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from freshness.models import ClosureReport, Reminder
from initiatives.models import Correction, Initiative, Status
from tests.factories import InitiativeFactory, ThemeFactory
from tests.freshness_mail import form_data, links_in, run_worker, smtp_mailbox

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "bonjour@atelier-velo.example.org"


@pytest.fixture
def mailbox(settings):
    yield from smtp_mailbox(settings)


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def old_entry():
    """Published, its address listed, last confirmed 400 days ago."""
    initiative = InitiativeFactory(
        name="Atelier vélo du Port", contact_email=ADDRESS, themes=[ThemeFactory()]
    )
    Initiative.objects.filter(pk=initiative.pk).update(confirmed_at=days_ago(400))
    initiative.refresh_from_db()
    return initiative


def remind():
    call_command("send_freshness_reminders", verbosity=0)


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def reminder_links(message):
    confirm, update, closed = (
        next(link for link in links_in(message) if marker in link)
        for marker in ("/still-accurate/", "?owner=", "/closed/")
    )
    return path_of(confirm), path_of(update), path_of(closed)


def test_a_reminder_arrives_and_its_still_accurate_link_moves_the_date(client, mailbox, old_entry):
    remind()
    run_worker()

    (message,) = mailbox.to(ADDRESS)
    assert "Atelier vélo du Port" in message["Subject"]
    confirm, _update, _closed = reminder_links(message)

    page = client.get(confirm)  # what a mail scanner's prefetch does: nothing changes
    assert page.status_code == 200
    assert b'id="confirm-form"' in page.content
    old_entry.refresh_from_db()
    assert old_entry.confirmed_at < days_ago(399)

    done = client.post(confirm)
    assert b'id="confirm-done"' in done.content
    old_entry.refresh_from_db()
    assert old_entry.confirmed_at > days_ago(1)
    assert Reminder.objects.get(initiative=old_entry).answered_at is not None


def test_running_the_command_twice_sends_nothing_twice(mailbox, old_entry):
    remind()
    remind()
    run_worker()
    remind()
    run_worker()

    assert len(mailbox.to(ADDRESS)) == 1
    assert Reminder.objects.filter(initiative=old_entry).count() == 1


def test_an_unanswered_reminder_is_followed_up_once(client, mailbox, old_entry):
    remind()
    Reminder.objects.update(sent_at=days_ago(31))
    remind()
    remind()
    run_worker()

    first, follow_up = mailbox.to(ADDRESS)
    assert follow_up["Subject"].startswith("Rappel")
    assert Reminder.objects.get().followed_up_at is not None

    confirm, _update, _closed = reminder_links(follow_up)
    client.post(confirm)  # its links work like the first ones
    old_entry.refresh_from_db()
    assert old_entry.confirmed_at > days_ago(1)


def test_an_answered_reminder_is_not_followed_up(client, mailbox, old_entry):
    remind()
    run_worker()
    confirm, _update, _closed = reminder_links(mailbox.to(ADDRESS)[0])
    client.post(confirm)
    Reminder.objects.update(sent_at=days_ago(31))
    remind()
    run_worker()

    assert len(mailbox.to(ADDRESS)) == 1


def test_only_entries_due_with_an_address_are_reminded(mailbox, old_entry):
    InitiativeFactory(contact_email="recent@example.org")  # confirmed today
    no_address = InitiativeFactory(contact_email="")
    Initiative.objects.filter(pk=no_address.pk).update(confirmed_at=days_ago(400))
    pending = InitiativeFactory(
        contact_email="pending@example.org", status=Status.PENDING, published_at=None
    )
    Initiative.objects.filter(pk=pending.pk).update(confirmed_at=days_ago(400))

    remind()
    run_worker()

    assert [rcpt for rcpt, _message in mailbox.messages] == [[ADDRESS]]


def test_a_confirmed_entry_is_asked_again_a_year_after_its_new_date(mailbox, old_entry):
    remind()
    Initiative.objects.filter(pk=old_entry.pk).update(confirmed_at=days_ago(370))
    remind()
    run_worker()

    assert len(mailbox.to(ADDRESS)) == 2


def test_entries_unconfirmed_for_longer_are_marked_stale_until_confirmed(client, old_entry):
    older = InitiativeFactory(contact_email="")
    Initiative.objects.filter(pk=older.pk).update(confirmed_at=days_ago(500))

    remind()

    older.refresh_from_db()
    old_entry.refresh_from_db()
    assert older.stale and not old_entry.stale
    page = client.get(older.get_absolute_url())
    assert b'id="stale-notice"' in page.content
    assert b'id="stale-notice"' not in client.get(old_entry.get_absolute_url()).content

    Initiative.objects.filter(pk=older.pk).update(confirmed_at=timezone.now())
    remind()
    older.refresh_from_db()
    assert not older.stale


def test_stale_entries_are_flagged_in_the_map_data_and_only_they(client, old_entry):
    older = InitiativeFactory(contact_email="", latitude=45.76, longitude=4.83)
    Initiative.objects.filter(pk=older.pk).update(confirmed_at=days_ago(500))
    map_url = "/api/initiatives.geojson?bbox=-5,41,10,52&zoom=12"
    before = {f["id"]: f["properties"] for f in client.get(map_url).json()["features"]}
    assert "stale" not in before[older.slug]

    remind()  # the flag is data: the map's cached answer follows the data version

    after = {f["id"]: f["properties"] for f in client.get(map_url).json()["features"]}
    assert after[older.slug]["stale"] is True
    assert "stale" not in after[old_entry.slug]


def test_it_has_closed_goes_to_the_curators_queue_and_they_archive_it(
    client, admin_client, mailbox, old_entry
):
    remind()
    run_worker()
    _confirm, _update, closed = reminder_links(mailbox.to(ADDRESS)[0])

    assert client.get(closed).status_code == 200
    assert not ClosureReport.objects.exists()
    client.post(closed, {"message": "Fermé depuis juin."})
    client.post(closed, {"message": "Deux fois."})  # a second click adds nothing

    report = ClosureReport.objects.get()
    assert report.message == "Fermé depuis juin."
    queue = admin_client.get("/admin/freshness/freshnessentry/?freshness=closed")
    assert "Atelier vélo du Port" in queue.content.decode()

    admin_client.post(
        "/admin/freshness/freshnessentry/",
        {"action": "archive", "_selected_action": [old_entry.pk]},
    )
    old_entry.refresh_from_db()
    report.refresh_from_db()
    assert old_entry.status == Status.ARCHIVED
    assert report.handled_at is not None
    assert old_entry.status_changes.get().to_status == Status.ARCHIVED


def test_update_it_opens_the_correction_form_and_marks_it_from_its_people(
    client, mailbox, old_entry
):
    remind()
    run_worker()
    _confirm, update, _closed = reminder_links(mailbox.to(ADDRESS)[0])

    form = client.get(update)
    assert form.status_code == 200
    assert "Atelier vélo du Port" in form.content.decode()
    assert ADDRESS not in form.content.decode()  # the field starts empty: it keeps the address
    data = form_data(form) | {"opening_hours": "Sa 10:00-18:00"}
    response = client.post(update, data)

    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.from_owner
    assert correction.proposed == {"opening_hours": "Sa 10:00-18:00"}
    old_entry.refresh_from_db()
    assert old_entry.confirmed_at > days_ago(1)


def test_links_that_are_forged_expired_or_for_another_address_are_refused(
    client, settings, mailbox, old_entry
):
    remind()
    run_worker()
    confirm, _update, _closed = reminder_links(mailbox.to(ADDRESS)[0])

    assert client.get(confirm[:-5] + "xxxx/").status_code == 400
    settings.FRESHNESS_LINK_MAX_AGE_DAYS = 0
    assert client.post(confirm).status_code == 400
    settings.FRESHNESS_LINK_MAX_AGE_DAYS = 60
    Initiative.objects.filter(pk=old_entry.pk).update(contact_email="new@example.org")
    response = client.post(confirm)
    assert response.status_code == 400
    assert 'id="invalid-link"' in response.content.decode()
    old_entry.refresh_from_db()
    assert old_entry.confirmed_at < days_ago(399)
