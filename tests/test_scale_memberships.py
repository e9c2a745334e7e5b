"""Filtered facet counts in one pass: each initiative's classifications and its commune's size
class copied on its row (PostgreSQL), so a filtered directory counts every facet at once.

The copy is kept by triggers on every write path and always equals the links; whichever path
answers (one pass over the copy on PostgreSQL, grouped queries over the links on SQLite), the
counts are the same as counting the links.
"""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from initiatives import memberships, tallies
from initiatives.directory import Directory
from initiatives.filters import InitiativeFilterSet
from initiatives.models import FacetTally, Initiative, PairTally
from initiatives.models.memberships import Memberships
from territories.models import Territory
from tests.factories import (
    CommuneFactory,
    InitiativeFactory,
    LegalFormFactory,
    LeverFactory,
    PracticeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps no copy: it counts the links"
)


def copies():
    """``{initiative id: (theme ids, practice ids, lever ids, size class)}`` as stored."""
    return {row[0]: row[1:] for row in Initiative.objects.values_list("pk", *Memberships.FIELDS)}


def from_links():
    """The same, recomputed from the link tables and the communes."""
    result = {}
    for initiative in Initiative.objects.select_related("commune"):
        result[initiative.pk] = (
            sorted(initiative.themes.values_list("pk", flat=True)),
            sorted(initiative.practices.values_list("pk", flat=True)),
            sorted(initiative.levers.values_list("pk", flat=True)),
            initiative.commune.size_class,
        )
    return result


@pytest.fixture
def things():
    return {
        "themes": [ThemeFactory(), ThemeFactory(), ThemeFactory()],
        "practices": [PracticeFactory(), PracticeFactory()],
        "lever": LeverFactory(),
        "form": LegalFormFactory(),
        "town": CommuneFactory(population=3_000, size_class="small_town"),
        "city": CommuneFactory(population=60_000, size_class="medium_city"),
    }


@postgresql_only
def test_the_copy_equals_the_links_after_every_kind_of_write(things):
    themes, practices = things["themes"], things["practices"]
    first = InitiativeFactory(commune=things["town"], themes=themes[:2], levers=[things["lever"]])
    second = InitiativeFactory(commune=things["city"], themes=themes[2:])
    assert copies() == from_links()

    second.practices.set(practices)  # links added
    first.themes.remove(themes[0])  # a link removed
    assert copies() == from_links()

    stale = Initiative.objects.get(pk=first.pk)  # read before the next change
    first.themes.add(themes[2])
    stale.name = "Renamed"
    stale.save()  # sends back the copy it read, without the new theme
    assert copies() == from_links()

    first.commune = things["city"]  # moved to a commune of another size
    first.save()
    assert copies()[first.pk][3] == "medium_city"

    # A commune's size class changes (load_territories after a census): its initiatives follow.
    Territory.objects.filter(pk=things["city"].pk).update(
        population=250_000, size_class="large_city"
    )
    assert copies() == from_links()
    assert copies()[second.pk][3] == "large_city"

    # Links written in bulk, as the imports do.
    through = Initiative.practices.through
    through.objects.bulk_create(
        [through(initiative_id=first.pk, collaborativepractice_id=practices[0].pk)]
    )
    assert copies() == from_links()


def test_the_counts_of_a_filtered_directory_are_those_of_the_links(things):
    themes, town, city = things["themes"], things["town"], things["city"]
    InitiativeFactory(commune=town, themes=themes[:2], practices=things["practices"])
    InitiativeFactory(commune=city, themes=themes[1:], levers=[things["lever"]], low_tech=True)
    InitiativeFactory(commune=city, themes=themes[:1], legal_form=things["form"], low_tech=True)
    InitiativeFactory(commune=town, themes=themes[2:], legal_form=things["form"])

    results = InitiativeFilterSet(QueryDict(f"theme={themes[1].slug}")).qs
    counts = results.facet_counts(list(memberships.FACET_SOURCES))
    assert counts["total"] == {"": 2}
    assert counts["low_tech"] == {"": 1}
    assert counts["theme"] == {themes[0].pk: 1, themes[1].pk: 2, themes[2].pk: 1}
    assert counts["practice"] == {p.pk: 1 for p in things["practices"]}
    assert counts["lever"] == {things["lever"].pk: 1}
    assert counts["size_class"] == {"small_town": 1, "medium_city": 1}
    assert counts["legal_form"] == {}
    # And as the grouped queries over the links count them.
    for facet, field_name in memberships.COUNTED_BY.items():
        expected = {k: n for k, n in results.count_by(field_name).items() if k}
        assert counts[facet] == expected, facet


def test_an_empty_selection_counts_nothing(things):
    counts = Initiative.objects.none().facet_counts(["theme", "total"])
    assert counts == {"theme": {}, "total": {}}


@postgresql_only
@pytest.mark.parametrize(
    "two_themes, passes",
    [
        # The results; each facet in use without its own filter is one value: pair tallies.
        (False, 1),
        # The results, and the size classes given any of two themes: a second pass.
        (True, 2),
    ],
)
def test_a_filtered_directory_counts_its_facets_in_one_pass_and_reads_no_link_table(
    things, two_themes, passes
):
    themes = things["themes"]
    InitiativeFactory.create_batch(3, commune=things["town"], themes=themes[:2])
    InitiativeFactory(commune=things["city"], themes=themes[:1])
    chosen = themes[:2] if two_themes else themes[:1]
    query = "&".join(f"theme={theme.slug}" for theme in chosen) + "&size_class=small_town"
    directory = Directory(InitiativeFilterSet(QueryDict(query)), "/initiatives/")
    with CaptureQueriesContext(connection) as context:
        counts = directory.facet_counts()
        assert directory.result_count() == 3  # counted with the facets: no query more
    made = [q["sql"] for q in context.captured_queries if "GROUPING SETS" in q["sql"]]
    assert len(made) == passes
    assert counts["theme"] == {themes[0].pk: 3, themes[1].pk: 3}
    assert counts["size_class"] == {"small_town": 3, "medium_city": 1}
    assert not any("initiatives_initiative_themes" in sql for sql in made)
    assert not any("territories_territory" in sql for sql in made)


def test_an_update_of_columns_nobody_counts_keeps_the_tallies_right(things):
    InitiativeFactory.create_batch(4, commune=things["town"], themes=things["themes"][:1])
    kept = {(t.territory_id, t.facet, t.value): t.n for t in FacetTally.objects.all()}
    Initiative.objects.update(description="Edited in bulk")
    assert {(t.territory_id, t.facet, t.value): t.n for t in FacetTally.objects.all()} == kept
    tallies.rebuild()
    assert {(t.territory_id, t.facet, t.value): t.n for t in FacetTally.objects.all()} == kept


def pairs():
    return {
        (row.territory_id, row.given, row.facet, row.value): row.n
        for row in PairTally.objects.filter(n__gt=0)
    }


@postgresql_only
def test_after_every_kind_of_write_the_pair_tallies_equal_a_recount(things):
    themes, practices = things["themes"], things["practices"]
    first = InitiativeFactory(commune=things["town"], themes=themes[:2], low_tech=True)
    second = InitiativeFactory(commune=things["city"], themes=themes[1:], levers=[things["lever"]])
    second.practices.set(practices)
    first.themes.remove(themes[0])
    first.commune = things["city"]
    first.legal_form = things["form"]
    first.save()
    Initiative.objects.filter(pk=second.pk).update(status="archived")
    kept = pairs()
    assert kept  # something is counted
    tallies.rebuild()
    assert pairs() == kept
    # What a theme filter reads: the initiatives with that theme, counted by their other values.
    everywhere = PairTally.objects.counts(0, f"theme:{themes[1].pk}", ["total", "legal_form"])
    assert everywhere == {"total": {"": 1}, "legal_form": {things["form"].pk: 1}}


@postgresql_only
@pytest.mark.parametrize("in_epci", [False, True])
def test_a_directory_filtered_on_one_value_reads_its_counts_from_the_pair_tallies(
    client, things, in_epci
):
    themes = things["themes"]
    territory = f"&territory={things['city'].epci.slug}" if in_epci else ""
    InitiativeFactory.create_batch(2, commune=things["city"], themes=themes[:2], low_tech=True)
    InitiativeFactory(commune=things["town"], themes=themes[:1], practices=things["practices"])
    url = f"/initiatives/?theme={themes[0].slug}{territory}"
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    sqls = [q["sql"] for q in context.captured_queries]
    assert not [
        sql for sql in sqls if "GROUP BY" in sql.upper() and "initiatives_initiative" in sql
    ]
    assert any("initiatives_pairtally" in sql for sql in sqls)
    # The same numbers as counting the initiatives.
    directory = Directory(InitiativeFilterSet(QueryDict(url.split("?")[1])), "/initiatives/")
    counts = directory.facet_counts()
    passed = directory.results.facet_counts(["low_tech", "practice", "total"])
    assert counts["total"] == passed["total"].get("", 0) == (2 if in_epci else 3)
    assert counts["low_tech"] == passed["low_tech"].get("", 0) == 2
    assert counts["practice"] == passed["practice"]


def test_a_filter_that_can_match_nothing_counts_nothing(things):
    """ "Open now" with no hours anywhere: a condition SQL cannot even be written for."""
    InitiativeFactory(commune=things["town"], themes=things["themes"][:1])
    directory = Directory(InitiativeFilterSet(QueryDict("open_now=1")), "/initiatives/")
    counts = directory.facet_counts()
    assert counts["total"] == 0
    assert counts["theme"] == {}


@postgresql_only
def test_a_migration_recounts_only_the_tallies_it_adds(things):
    """0020 recounts the pairs, 0021 the cells, intelligence 0004 the facets: at a million rows,
    each recount takes minutes."""
    InitiativeFactory.create_batch(3, commune=things["town"], themes=things["themes"][:2])
    kept = pairs()
    PairTally.objects.all().delete()
    FacetTally.objects.filter(facet="theme").update(n=99)  # would be recounted by "facets"
    tallies.rebuild(parts=["pairs"])
    assert pairs() == kept
    assert set(FacetTally.objects.filter(facet="theme").values_list("n", flat=True)) == {99}
