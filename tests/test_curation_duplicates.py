"""Possible duplicates: similar names nearby, flagged on pending items, merged without orphans."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from curation.merge import MergeError, merge
from curation.moderation import transition
from initiatives.duplicates import duplicates_of, find_duplicates, similarity
from initiatives.models import Correction, Initiative, Status, StatusChange
from ssemap.text import normalise_name
from tests.factories import (
    CommuneFactory,
    InitiativeFactory,
    LeverFactory,
    PendingInitiativeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_normalise_ignores_case_accents_punctuation_and_small_words():
    assert normalise_name("L'Épicerie  Solidaire du Cap !") == "epicerie solidaire cap"


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("Les Ateliers Jean Moulin", "Ateliers Jean-Moulin", True),
        ("Repair café", "Repair Café de Plouhinec", True),
        ("Épicerie solidaire", "Epicerie solidaire", True),
        ("Epicerie solidare", "Épicerie solidaire", True),
        ("Épicerie solidaire", "Garage solidaire", False),
        ("Citiz", "SISSA", False),
    ],
)
def test_similarity(a, b, similar):
    assert (similarity(a, b) >= 0.6) is similar


def test_find_duplicates_looks_nearby_only():
    here = CommuneFactory(latitude=48.0, longitude=-4.5)
    neighbour = CommuneFactory(latitude=48.05, longitude=-4.45)  # ~7 km, other EPCI
    far = CommuneFactory(latitude=43.6, longitude=1.44)
    near = InitiativeFactory(name="Repair café", commune=neighbour)
    InitiativeFactory(name="Repair café", commune=far)
    same_epci = InitiativeFactory(
        name="Repair Café", commune=CommuneFactory(epci=here.epci, latitude=47.5, longitude=-3.0)
    )

    found = [i for i, _ in find_duplicates("Repair cafe", here)]

    assert set(found) == {near, same_epci}


def test_pending_items_are_flagged_in_the_admin(admin_client):
    published = InitiativeFactory(name="Les Ateliers Jean Moulin")
    pending = PendingInitiativeFactory(name="Ateliers Jean-Moulin", commune=published.commune)

    assert [i for i, _ in duplicates_of(pending)] == [published]
    listing = admin_client.get("/admin/initiatives/initiative/")
    assert "duplicate-flag" in listing.text
    detail = admin_client.get(f"/admin/initiatives/initiative/{pending.pk}/change/")
    assert f"/admin/initiatives/initiative/{pending.pk}/merge/{published.pk}/" in detail.text


def test_merge_keeps_the_better_fields_and_leaves_no_orphan(admin_user):
    food, solidarity = ThemeFactory(slug="food"), ThemeFactory(slug="solidarity")
    lever = LeverFactory()
    keep = InitiativeFactory(
        name="Ateliers Jean Moulin",
        summary="Tiers-lieu.",
        description="",
        website="https://keep.example.org",
        themes=[food],
    )
    drop = PendingInitiativeFactory(
        name="Ateliers Jean-Moulin",
        commune=keep.commune,
        summary="Tiers-lieu multi-activités dans un ancien lycée professionnel.",
        description="Entreprises, associations, restauration.",
        website="",
        year_started=2016,
        themes=[solidarity],
        levers=[lever],
    )
    correction = Correction.objects.create(initiative=drop, proposed={"name": "x"})
    transition(drop, Status.REJECTED, by=admin_user, reason="doublon")
    transition(drop, Status.PENDING, by=admin_user)

    merge(keep, drop, by=admin_user)

    keep.refresh_from_db()
    drop.refresh_from_db()
    assert drop.status == Status.REJECTED  # set aside, through moderation, not deleted
    assert drop.status_changes.latest("at").reason.startswith("merged into “Ateliers Jean Moulin”")
    assert keep.summary.startswith("Tiers-lieu multi-activités")  # longer wins
    assert keep.description == "Entreprises, associations, restauration."  # non-empty wins
    assert keep.website == "https://keep.example.org"  # kept's non-empty value stays
    assert keep.year_started == 2016
    assert keep.status == Status.PUBLISHED
    assert set(keep.themes.all()) == {food, solidarity}
    assert list(keep.levers.all()) == [lever]
    correction.refresh_from_db()
    assert correction.initiative == keep
    assert StatusChange.objects.filter(initiative=keep).count() == 0
    assert StatusChange.objects.filter(initiative=drop).count() == 3
    assert "merged with" in keep.history.latest().history_change_reason


def test_merge_from_the_admin(admin_client):
    keep = InitiativeFactory(name="Repair café")
    drop = PendingInitiativeFactory(
        name="Repair Café", commune=keep.commune, description="Détails."
    )
    url = f"/admin/initiatives/initiative/{drop.pk}/merge/{keep.pk}/"

    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "Détails." in confirm.text
    response = admin_client.post(url)

    assert response.status_code == 302
    assert list(Initiative.objects.published()) == [keep]
    assert Initiative.objects.get(pk=drop.pk).status == Status.REJECTED
    keep.refresh_from_db()
    assert keep.description == "Détails."


def test_an_initiative_cannot_be_merged_with_itself(admin_user):
    item = InitiativeFactory()
    with pytest.raises(ValueError):
        merge(item, item, by=admin_user)


def test_merging_an_initiative_into_itself_from_the_admin_is_a_clear_refusal(admin_client):
    item = InitiativeFactory()
    url = f"/admin/initiatives/initiative/{item.pk}/merge/{item.pk}/"
    for response in (admin_client.get(url, follow=True), admin_client.post(url, follow=True)):
        assert response.status_code == 200
        assert any(
            "itself" in str(m) or "elle-même" in str(m) for m in response.context["messages"]
        )
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_a_curator_merges_without_deleting(client, django_user_model):
    call_command("create_curator", "alice", email="a@example.org", password="Curat0r-pass-2026")
    client.force_login(django_user_model.objects.get(username="alice"))
    keep = InitiativeFactory(name="Repair café")
    drop = InitiativeFactory(name="Repair Café", commune=keep.commune, description="Détails.")
    response = client.post(f"/admin/initiatives/initiative/{drop.pk}/merge/{keep.pk}/")
    assert response.status_code == 302
    drop.refresh_from_db()
    assert drop.status == Status.ARCHIVED
    assert Initiative.objects.get(pk=keep.pk).description == "Détails."


def test_a_merge_into_a_set_aside_initiative_is_refused(admin_user):
    first, second = InitiativeFactory(), InitiativeFactory()
    merge(first, second, by=admin_user)  # second is archived
    with pytest.raises(MergeError, match="en attente ou publiée"):
        merge(second, first, by=admin_user)
    first.refresh_from_db()
    assert first.status == Status.PUBLISHED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_crossed_merges_end_in_one_merge_and_one_clear_refusal(admin_user):
    for _ in range(4):
        a, b = InitiativeFactory(), InitiativeFactory()
        barrier, outcomes = threading.Barrier(2), []

        def run(keep, drop, barrier=barrier, outcomes=outcomes):
            barrier.wait()
            try:
                merge(keep, drop, by=admin_user)
                outcomes.append("merged")
            except MergeError:
                outcomes.append("refused")
            except Exception as error:  # a deadlock, or anything else, fails the test
                outcomes.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=pair) for pair in ((a, b), (b, a))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["merged", "refused"]
        statuses = sorted(
            Initiative.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)
        )
        assert statuses == [Status.ARCHIVED, Status.PUBLISHED]
