"""What curators see of freshness: a queue of stale entries and closures reported, each with
a completeness score they can sort by; archiving goes through moderation."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from freshness.models import COMPLETENESS_MAX, ClosureReport, FreshnessEntry
from initiatives.models import Initiative, Status
from tests.factories import InitiativeFactory, LeverFactory, ThemeFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/freshness/freshnessentry/"


@pytest.fixture
def curator_client(client, django_user_model):
    call_command("create_curator", "alice", email="alice@example.org", password="Curat0r-pass-2026")
    client.force_login(django_user_model.objects.get(username="alice"))
    return client


@pytest.fixture
def entries():
    theme = ThemeFactory()
    bare = InitiativeFactory(name="Fiche maigre", organisation="", themes=[theme])
    full = InitiativeFactory(
        name="Fiche complète",
        description="Tout y est.",
        contact_email="a@example.org",
        opening_hours="Mo-Fr 09:00-18:00",
        image="initiatives/2026/11/a.jpg",
        address="1 rue du Port",
        organisation="Asso",
        year_started=2015,
        themes=[theme],
        levers=[LeverFactory()],
    )
    old = InitiativeFactory(name="Fiche ancienne", themes=[theme])
    Initiative.objects.filter(pk=old.pk).update(
        confirmed_at=timezone.now() - timedelta(days=600), stale=True
    )
    return bare, full, old


def test_completeness_counts_what_a_reader_would_miss(entries):
    bare, full, _old = entries
    scores = dict(FreshnessEntry.objects.with_completeness().values_list("name", "completeness"))
    assert scores["Fiche complète"] == COMPLETENESS_MAX
    assert scores["Fiche maigre"] == 0


def test_curators_sort_the_queue_by_completeness(curator_client, entries):
    response = curator_client.get(QUEUE, {"o": "6"})  # the sixth column: completeness
    assert response.status_code == 200
    names = [row.name for row in response.context["cl"].result_list]
    assert names[0] == "Fiche maigre" and names[-1] == "Fiche complète"
    assert f"{COMPLETENESS_MAX}/{COMPLETENESS_MAX}" in response.content.decode()


def test_the_queue_of_stale_entries_and_of_closures_reported(curator_client, entries):
    bare, _full, old = entries
    ClosureReport.objects.create(initiative=bare, message="Fermé.")
    stale = curator_client.get(QUEUE, {"freshness": "stale"})
    assert [row.name for row in stale.context["cl"].result_list] == ["Fiche ancienne"]
    closed = curator_client.get(QUEUE, {"freshness": "closed"})
    assert [row.name for row in closed.context["cl"].result_list] == ["Fiche maigre"]


def test_curators_archive_a_reported_closure_through_moderation(curator_client, entries):
    bare, _full, _old = entries
    ClosureReport.objects.create(initiative=bare)
    curator_client.post(
        "/admin/freshness/closurereport/",
        {"action": "archive", "_selected_action": [ClosureReport.objects.get().pk]},
    )
    bare.refresh_from_db()
    assert bare.status == Status.ARCHIVED
    assert bare.status_changes.get().by.username == "alice"
    assert ClosureReport.objects.get().handled_at is not None


def test_marking_as_still_accurate_from_the_queue(curator_client, entries):
    _bare, _full, old = entries
    curator_client.post(QUEUE, {"action": "mark_confirmed", "_selected_action": [old.pk]})
    old.refresh_from_db()
    assert not old.stale and old.confirmed_at > timezone.now() - timedelta(minutes=1)
