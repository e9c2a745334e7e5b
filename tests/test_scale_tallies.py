"""Counts that do not scan: published initiatives per territory and facet value, kept as data changes.

The directory's facets, the home figures and the territory pages read ``FacetTally`` instead of
joining every initiative with its links. The tally is kept by database triggers on every write
path; after any sequence of writes it equals a recount from the tables, and a recount equals
what the ORM counts.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from curation.moderation import transition
from initiatives import tallies
from initiatives.models import EVERYWHERE, FacetTally, Initiative, Status
from tests.factories import (
    CommuneFactory,
    InitiativeFactory,
    LegalFormFactory,
    LeverFactory,
    PendingInitiativeFactory,
    PracticeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        (row.territory_id, row.facet, row.value): row.n
        for row in FacetTally.objects.filter(n__gt=0)
    }


def assert_tally_equals_a_recount():
    kept = snapshot()
    tallies.rebuild()
    assert kept == snapshot()


@pytest.fixture
def things():
    return {
        "themes": [ThemeFactory(), ThemeFactory()],
        "practice": PracticeFactory(),
        "lever": LeverFactory(),
        "form": LegalFormFactory(),
        "town": CommuneFactory(population=3_000, size_class="small_town"),
        "city": CommuneFactory(population=60_000, size_class="medium_city"),
    }


def test_after_every_kind_of_write_the_tally_equals_a_recount(things):
    themes, town, city = things["themes"], things["town"], things["city"]
    first = InitiativeFactory(commune=town, themes=themes, levers=[things["lever"]])
    pending = PendingInitiativeFactory(commune=city, themes=themes[:1])
    pending.practices.set([things["practice"]])
    assert_tally_equals_a_recount()

    transition(pending, Status.PUBLISHED, by=None)  # its links count from now on
    assert_tally_equals_a_recount()

    first.themes.remove(themes[0])
    first.legal_form = things["form"]
    first.commune, first.epci, first.department, first.region = (
        city,
        city.epci,
        city.department,
        city.region,
    )
    first.save()
    assert_tally_equals_a_recount()

    Initiative.objects.filter(pk=pending.pk).update(low_tech=True)  # no signal: triggers see it
    assert_tally_equals_a_recount()

    transition(first, Status.ARCHIVED, by=None)
    assert_tally_equals_a_recount()

    pending.delete()
    assert_tally_equals_a_recount()
    assert not snapshot()  # nothing published is left, nothing is counted


def test_a_recount_equals_what_the_orm_counts(things):
    themes, town = things["themes"], things["town"]
    InitiativeFactory.create_batch(3, commune=town, themes=themes, legal_form=things["form"])
    InitiativeFactory(commune=things["city"], themes=themes[1:], low_tech=True)
    PendingInitiativeFactory(commune=town, themes=themes)  # not counted
    tallies.rebuild()
    published = Initiative.objects.published()

    everywhere = FacetTally.objects.counts(
        EVERYWHERE, ["total", "theme", "legal_form", "size_class", "low_tech"]
    )
    assert everywhere["total"] == {"": published.count()}
    assert everywhere["theme"] == published.count_by("themes")
    assert everywhere["legal_form"] == {things["form"].pk: 3}
    assert everywhere["size_class"] == {"small_town": 3, "medium_city": 1}
    assert everywhere["low_tech"] == {"": 1}
    in_town = FacetTally.objects.counts(town.pk, ["total", "theme"])
    assert in_town["theme"] == published.in_territory(town).count_by("themes")
    assert FacetTally.objects.distinct_values(EVERYWHERE, "commune") == 2
    department = town.department
    assert FacetTally.objects.counts(department.pk, ["total"])["total"] == {
        "": published.in_territory(department).count()
    }


def test_a_bulk_publish_is_counted_in_one_statement(things):
    """One UPDATE of 30 rows: PostgreSQL's statement trigger runs once, and counts all 30."""
    PendingInitiativeFactory.create_batch(30, commune=things["town"])
    Initiative.objects.update(status=Status.PUBLISHED, published_at=timezone.now())
    counts = FacetTally.objects.counts(things["town"].pk, ["total"])
    assert counts["total"] == {"": 30}
    assert_tally_equals_a_recount()


def grouped_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in context.captured_queries if "GROUP BY" in q["sql"].upper()]


def test_the_unfiltered_directory_counts_its_facets_without_grouping_initiatives(client, world):
    grouped = grouped_queries(client, "/initiatives/")
    assert grouped == []


@pytest.mark.parametrize("url", ["/initiatives/?territory=metropole-test", "/initiatives/"])
def test_the_directory_of_a_territory_reads_its_facets_from_the_tallies(client, world, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    tally_reads = [q for q in context.captured_queries if "initiatives_facettally" in q["sql"]]
    assert len(tally_reads) == 1  # the facets and the number of results, in one read


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="PostgreSQL reads them from the pair tallies (test_scale_memberships.py)",
)
def test_a_filter_on_one_facet_still_counts_the_others_with_that_filter(client, world):
    """Ticking a theme: the theme facet comes from the tallies, the others from the results."""
    grouped = grouped_queries(client, "/initiatives/?theme=alimentation")
    assert grouped, "practices, levers, legal forms and size classes are counted among results"
    assert not [sql for sql in grouped if "initiatives_initiative_themes" in sql.split("FROM")[1]]


def test_a_tally_already_gone_is_never_counted_below_zero(things):
    """SQLite's flush empties the tallies before the initiatives: their delete must not leave
    rows of -1 that a later insert would bring to 0 (the tests' flush, or a manual clean-up)."""
    InitiativeFactory(commune=things["town"], themes=things["themes"])
    FacetTally.objects.all().delete()
    Initiative.objects.all().delete()
    assert not FacetTally.objects.filter(n__lt=0).exists()
    InitiativeFactory(commune=things["town"])
    assert FacetTally.objects.counts(EVERYWHERE, ["total"])["total"] == {"": 1}


def test_solution_models_are_tallied_per_territory_like_themes(things):
    """Another app's links (intelligence's solution models) are counted by the same triggers:
    the comparison of territories reads them instead of grouping every link."""
    from intelligence.models import Solution, SolutionLink

    reuse = Solution.objects.create(slug="reuse-t", name_fr="Recyclerie", name_en="Reuse centre")
    town, city = things["town"], things["city"]
    here = InitiativeFactory(commune=town)
    there = InitiativeFactory(commune=city)
    pending = PendingInitiativeFactory(commune=town)
    for initiative in (here, there, pending):
        SolutionLink.objects.create(solution=reuse, initiative=initiative)
    assert FacetTally.objects.counts(town.pk, ["solution"]) == {"solution": {reuse.pk: 1}}
    assert FacetTally.objects.counts(EVERYWHERE, ["solution"]) == {"solution": {reuse.pk: 2}}
    assert_tally_equals_a_recount()

    transition(pending, Status.PUBLISHED, by=None)
    SolutionLink.objects.filter(initiative=there).delete()
    assert FacetTally.objects.counts(town.pk, ["solution"]) == {"solution": {reuse.pk: 2}}
    assert FacetTally.objects.counts(city.pk, ["solution"]) == {"solution": {}}
    assert_tally_equals_a_recount()
