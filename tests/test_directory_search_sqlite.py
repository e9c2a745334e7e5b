"""Free-text search on SQLite (``make run``) goes through FTS5: quick, accents and case folded,
words matched as prefixes, ``-word`` and ``or`` understood, any input harmless."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import Initiative
from initiatives.search import fts_query, search

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL keeps its own full-text search"
)


def found(text):
    return set(search(Initiative.objects.published(), text).values_list("slug", flat=True))


def test_words_match_as_prefixes_without_accents_or_case(world):
    assert found("RÉPAR") == {world.repair.slug}
    assert found("epic") == {world.grocery.slug}
    assert found("energie") == {world.repair.slug}


def test_every_word_must_match_and_minus_excludes(world):
    assert found("épicerie hameau") == {world.grocery.slug}
    assert found("épicerie -solidaire") == set()
    assert found("vélos or voitures") == {world.bikes.slug, world.carshare.slug}


def test_the_commune_name_is_searched_and_follows_a_rename(world):
    assert found("hameau") == {world.grocery.slug}
    world.village.name = "Bourgneuf"
    world.village.save()
    assert found("bourgneuf") == {world.grocery.slug}


def test_an_edited_or_deleted_initiative_is_found_as_it_now_is(world):
    world.bikes.summary = "Des bicyclettes en libre service."
    world.bikes.save()
    assert found("bicyclettes") == {world.bikes.slug}
    world.bikes.delete()
    assert found("bicyclettes") == set()


def test_pending_initiatives_stay_out_of_results(world):
    assert world.pending.slug not in found(world.pending.name)


@pytest.mark.parametrize(
    "text", ['"', "NEAR(a b)", "*", "a:b", "-", "(", "AND", "—", "'", "épi*cerie", "\\"]
)
def test_fts_syntax_in_the_input_never_fails(world, text):
    assert isinstance(found(text), set)


def test_the_query_quotes_every_word():
    assert fts_query('repair "café" -lyon or') == '"repair"* AND """café"""* NOT "lyon"*'
    assert fts_query("- — !") == ""


def test_search_reads_the_full_text_index_not_every_row(world):
    with CaptureQueriesContext(connection) as queries:
        found("réparation")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "initiatives_search" in sql and "MATCH" in sql
    assert "ssemap_fold" not in sql


def test_the_directory_ranks_name_matches_first(client, world):
    response = client.get("/initiatives/", {"q": "épicerie"})
    assert response.status_code == 200
    assert response.context["page_obj"].object_list[0].slug == world.grocery.slug
