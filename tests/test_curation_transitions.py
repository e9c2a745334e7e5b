"""Status changes: only the allowed moves, each recorded with who, when and why."""

import itertools

import pytest
from django.utils import translation

from curation.moderation import ALLOWED_TRANSITIONS, TransitionError, transition
from initiatives.models import Status, StatusChange
from tests.factories import InitiativeFactory, PendingInitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages below are asserted in English (French is the default language)."""
    with translation.override("en"):
        yield


ALLOWED = [
    (Status.PENDING, Status.PUBLISHED),
    (Status.PENDING, Status.REJECTED),
    (Status.PUBLISHED, Status.ARCHIVED),
    (Status.ARCHIVED, Status.PUBLISHED),
    (Status.REJECTED, Status.PENDING),
]
FORBIDDEN = [pair for pair in itertools.permutations(Status.values, 2) if pair not in ALLOWED] + [
    (s, s) for s in Status.values
]


def make(status):
    if status in (Status.PUBLISHED, Status.ARCHIVED):
        return InitiativeFactory(status=status)
    return PendingInitiativeFactory(status=status)


def test_the_documented_table_is_the_one_enforced():
    table = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert table == set(ALLOWED)


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_allowed_transition_changes_status_and_records_it(from_status, to_status, admin_user):
    initiative = make(from_status)

    change = transition(initiative, to_status, by=admin_user, reason="Vérifié par téléphone")

    initiative.refresh_from_db()
    assert initiative.status == to_status
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert change.by == admin_user
    assert change.reason == "Vérifié par téléphone"
    assert list(initiative.status_changes.all()) == [change]


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_forbidden_transition_raises_and_changes_nothing(from_status, to_status, admin_user):
    initiative = make(from_status)

    with pytest.raises(TransitionError, match="cannot go from"):
        transition(initiative, to_status, by=admin_user, reason="x")

    initiative.refresh_from_db()
    assert initiative.status == from_status
    assert not StatusChange.objects.exists()


def test_publishing_sets_the_publication_date(admin_user):
    initiative = PendingInitiativeFactory()
    assert initiative.published_at is None

    transition(initiative, Status.PUBLISHED, by=admin_user)

    initiative.refresh_from_db()
    assert initiative.published_at is not None


def test_rejecting_needs_a_reason(admin_user):
    initiative = PendingInitiativeFactory()

    with pytest.raises(TransitionError, match="reason is required"):
        transition(initiative, Status.REJECTED, by=admin_user, reason="   ")

    initiative.refresh_from_db()
    assert initiative.status == Status.PENDING


def test_transition_is_recorded_in_history_with_its_author(admin_user):
    initiative = PendingInitiativeFactory()

    transition(initiative, Status.PUBLISHED, by=admin_user)

    latest = initiative.history.latest()
    assert latest.status == Status.PUBLISHED
    assert latest.history_user == admin_user
    assert "pending → published" in latest.history_change_reason


def test_stale_copy_cannot_overwrite_a_concurrent_decision(admin_user):
    initiative = PendingInitiativeFactory()
    stale = type(initiative).objects.get(pk=initiative.pk)
    transition(initiative, Status.PUBLISHED, by=admin_user)

    with pytest.raises(TransitionError, match="someone else"):
        transition(stale, Status.REJECTED, by=admin_user, reason="doublon")

    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED
