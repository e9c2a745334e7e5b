"""A search's facets and its first page by relevance come out of one pass over its matches.

For a common word at 1M, each pass is a random read of tens of thousands of heap pages that
no index answers (issue 11): ``facet_counts_and_first`` reads them once. Its answer must be
exactly that of the two queries it replaces, ties and all.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from initiatives.filters import InitiativeFilterSet
from tests.factories import InitiativeFactory

FACETS = ["theme", "practice", "lever", "legal_form", "size_class", "low_tech", "total"]


@pytest.fixture
def workshops(world):
    # Same text, same rank: the ties are broken by name, then by id (two share a name).
    for i in range(6):
        InitiativeFactory(name=f"Atelier {i % 5}", summary="Un atelier.", commune=world.city)
    InitiativeFactory(name="Zinc", summary="Atelier atelier atelier.", commune=world.village)
    InitiativeFactory(name="Ailleurs", summary="Un jardin.", commune=world.city)
    return world


@pytest.mark.parametrize(
    "query",
    [
        "q=atelier",
        "q=atelier&theme=alimentation",
        "q=atelier&sort=name",
        "sort=newest",
        "sort=distance&near=hameau",
        "q=introuvable",
    ],
)
@pytest.mark.parametrize("first", [1, 3, 20])
def test_counts_and_first_rows_equal_the_two_queries_they_replace(workshops, query, first):
    results = InitiativeFilterSet(QueryDict(query)).qs
    counts, pks = results.facet_counts_and_first(FACETS, first)
    assert counts == results.facet_counts(FACETS)
    assert pks == list(results.values_list("pk", flat=True)[:first])


def test_the_first_rows_of_no_order_are_refused(workshops):
    results = InitiativeFilterSet(QueryDict("q=atelier")).qs.order_by()
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps no memberships' copy: the rows come from their own query")
    with pytest.raises(ValueError):
        results.facet_counts_and_first(FACETS, 3)


def _passes_over_matches(queries):
    """The statements that read every match of the text query (not only a page's ids)."""
    return [
        q["sql"]
        for q in queries
        if "websearch_to_tsquery" in q["sql"]
        and '"initiatives_initiative"."id" IN (' not in q["sql"]
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one pass is PostgreSQL's")
def test_a_search_reads_its_matches_once_for_facets_and_first_page(client, workshops):
    expected = list(
        InitiativeFilterSet(QueryDict("q=atelier")).qs.values_list("slug", flat=True)[:20]
    )
    with CaptureQueriesContext(connection) as first_page:
        response = client.get("/initiatives/?q=atelier")
    assert response.status_code == 200
    assert [i.slug for i in response.context["page_obj"].object_list] == expected
    assert len(_passes_over_matches(first_page.captured_queries)) == 1
    # Another order is read on its own, as before: the facets, then the page.
    cache.clear()
    with CaptureQueriesContext(connection) as by_name:
        client.get("/initiatives/?q=atelier&sort=name")
    assert len(_passes_over_matches(by_name.captured_queries)) == 2
