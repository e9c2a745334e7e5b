"""A territory beside comparable ones: figures per 10,000 inhabitants against the median of its
peers, and what most of them have that it lacks — checked on a small world computed by hand."""

import pytest

from initiatives.models import Status, TerritoryLever
from intelligence.comparison import compare, peers, population_band
from intelligence.missing import missing_levers, missing_solutions
from intelligence.models import Solution, SolutionLink
from territories.models import EpciKind
from tests.factories import (
    CommuneFactory,
    EpciFactory,
    InitiativeFactory,
    LeverFactory,
    ThemeFactory,
)


@pytest.fixture
def small_towns(db):
    """Four small towns of one intercommunality, a village apart, a reuse centre model.

    here (10,000 inhabitants): 3 initiatives, 2 of them food — 3.0 and 2.0 per 10,000;
    b (5,000): 1 food initiative, a reuse centre — 2.0 and 2.0;
    c (4,000): 2 initiatives, a reuse centre — 5.0 and 0.0;
    d (8,000): none — 0.0 and 0.0.
    Medians of the peers (b, c, d): 2.0 overall, 0.0 for food.
    """
    epci = EpciFactory()
    food = ThemeFactory(slug="alimentation-t", name_fr="Alimentation", name_en="Food")
    here = CommuneFactory(name="Ici", population=10_000, epci=epci, latitude=47.5)
    b = CommuneFactory(name="Bé", population=5_000, epci=epci, latitude=48.5)
    c = CommuneFactory(name="Cé", population=4_000, epci=epci, latitude=47.6)
    d = CommuneFactory(name="Dé", population=8_000, epci=epci, latitude=47.0)
    village = CommuneFactory(name="Hameau", population=500, epci=epci)
    reuse = Solution.objects.create(slug="reuse-t", name_fr="Recyclerie", name_en="Reuse centre")
    InitiativeFactory.create_batch(2, commune=here, themes=[food])
    InitiativeFactory(commune=here)
    InitiativeFactory(commune=here, status=Status.PENDING, themes=[food])  # not public
    b_reuse = InitiativeFactory(commune=b, themes=[food], name="Recyclerie de Bé")
    c_reuse = InitiativeFactory(commune=c, name="Recyclerie de Cé")
    InitiativeFactory(commune=c)
    InitiativeFactory.create_batch(3, commune=village)  # a rural commune: not a peer
    SolutionLink.objects.create(solution=reuse, initiative=b_reuse)
    SolutionLink.objects.create(solution=reuse, initiative=c_reuse)
    premises = LeverFactory(slug="locaux-t", name_fr="Locaux", name_en="Premises")
    TerritoryLever.objects.create(territory=b, lever=premises)
    TerritoryLever.objects.create(territory=c, lever=premises)
    return {
        "here": here, "b": b, "c": c, "d": d, "food": food, "reuse": reuse,
        "premises": premises, "c_reuse": c_reuse, "b_reuse": b_reuse,
    }  # fmt: skip


def test_peers_are_communes_of_the_same_size_class_closest_in_population(small_towns):
    here, b, c, d = (small_towns[k] for k in ("here", "b", "c", "d"))
    assert list(peers(here)) == [d, b, c]


def test_peers_are_the_closest_in_population_on_both_sides_then_by_name(db):
    """More candidates than ``PEER_COUNT`` above and below, with equal gaps on both sides:
    the closest come first whichever side they are on, and an equal gap goes by name."""
    from intelligence.comparison import PEER_COUNT

    here = CommuneFactory(name="Ici", population=1_000, size_class="rural")
    made = {}
    for gap in range(1, PEER_COUNT + 1):
        # The commune below sorts before the one above at each gap on odd gaps, after on even.
        first, second = ("A", "B") if gap % 2 else ("B", "A")
        made[(gap, "below")] = CommuneFactory(name=f"{first} {gap:02}", population=1_000 - gap)
        made[(gap, "above")] = CommuneFactory(name=f"{second} {gap:02}", population=1_000 + gap)
    same = CommuneFactory(name="Z même population", population=1_000)
    CommuneFactory(name="Petite ville", population=5_000)  # another size class: not a peer

    found = list(peers(here))

    expected = sorted([same, *made.values()], key=lambda t: (abs(t.population - 1_000), t.name))[
        :PEER_COUNT
    ]
    assert found == expected
    assert found[0] == same
    assert [t.population for t in found[1:3]] in ([999, 1001], [1001, 999])


def test_peers_are_read_in_one_query(small_towns, django_assert_num_queries):
    """Every territory page asks for its peers twice (comparable territories, comparison):
    the two sides of the population order are subqueries of one statement."""
    with django_assert_num_queries(1):
        assert len(list(peers(small_towns["here"]))) == 3


def test_intercommunalities_are_compared_within_their_kind_and_population_band(db):
    epci = EpciFactory(population=30_000)
    same = EpciFactory(population=45_000)
    EpciFactory(population=60_000)  # another band
    EpciFactory(population=35_000, epci_kind=EpciKind.COMMUNAUTE_AGGLOMERATION)
    assert population_band(30_000) == (20_000, 50_000)
    assert population_band(300_000) == (250_000, None)
    assert list(peers(epci)) == [same]


def test_figures_per_10000_inhabitants_beside_the_median_of_peers(small_towns):
    comparison = compare(small_towns["here"])
    assert comparison.peer_count == 3
    assert (comparison.total.count, comparison.total.rate, comparison.total.median) == (3, 3.0, 2.0)
    food = next(row for row in comparison.themes if row.slug == "alimentation-t")
    assert (food.count, food.rate, food.median) == (2, 2.0, 0.0)
    reuse = next(row for row in comparison.solutions if row.slug == "reuse-t")
    assert (reuse.count, reuse.rate, reuse.median) == (0, 0.0, 2.0)
    assert (comparison.levers.count, comparison.levers.median) == (0, 1)


def test_missing_here_lists_what_most_peers_have_with_the_nearest_examples(small_towns):
    comparison = compare(small_towns["here"])
    [solution] = missing_solutions(comparison)
    assert solution.obj == small_towns["reuse"]
    assert (solution.peers_with, solution.share) == (2, 67)
    # Cé (0.1° away) before Bé (1° away).
    assert solution.examples == [small_towns["c_reuse"], small_towns["b_reuse"]]
    [lever] = missing_levers(comparison)
    assert lever.obj == small_towns["premises"]
    # Peers using it, closest in population first.
    assert lever.examples == [small_towns["b"], small_towns["c"]]


def test_nothing_is_missing_where_the_territory_has_it(small_towns):
    InitiativeFactory(commune=small_towns["here"]).solutions.add(small_towns["reuse"])
    TerritoryLever.objects.create(territory=small_towns["here"], lever=small_towns["premises"])
    comparison = compare(small_towns["here"])
    assert missing_solutions(comparison) == []
    assert missing_levers(comparison) == []


def test_a_new_link_shows_at_once_though_the_figures_are_cached(small_towns):
    here = small_towns["here"]
    assert compare(here).solutions[0].count == 0
    initiative = InitiativeFactory(commune=here)
    assert compare(here).total.count == 4  # the publish bumped the territory's scope
    SolutionLink.objects.create(solution=small_towns["reuse"], initiative=initiative)
    row = next(r for r in compare(here).solutions if r.slug == "reuse-t")
    assert row.count == 1  # the link table's trigger bumped it too


def test_the_territory_page_shows_the_comparison_and_what_is_missing(client, small_towns):
    page = client.get(small_towns["here"].get_absolute_url()).content.decode()
    assert "Comparé aux territoires semblables" in page or "Compared with" in page
    assert "Recyclerie" in page
    assert 'role="img"' in page  # the chart, with its table beside it
    assert "?t=ici" in page.replace("&amp;", "&").lower() or "compare/?t=" in page


def test_the_comparison_page_puts_two_to_four_territories_side_by_side(client, small_towns):
    here, b = small_towns["here"], small_towns["b"]
    response = client.get("/en/compare/", {"t": [here.slug, b.slug]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ici" in page and "Bé" in page
    assert "3.0" in page and "2.0" in page  # per 10,000 inhabitants


@pytest.mark.parametrize(
    ("slugs", "message"),
    [
        (["only-one"], "Unknown territory: “only-one”"),
        (["a", "b", "c", "d", "e"], "Unknown territory: “"),
    ],
)
def test_a_wrong_comparison_answers_400_with_the_reason(client, db, slugs, message):
    response = client.get("/en/compare/", {"t": slugs})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_with_fewer_than_two_territories_the_page_invites_to_add_some(client, small_towns):
    page = client.get("/en/compare/", {"t": small_towns["here"].slug}).content.decode()
    assert "Add a territory" in page and "Ici" in page
    assert client.get("/en/compare/").status_code == 200


def test_a_typed_name_is_added_to_the_comparison_address(client, small_towns):
    here, b = small_towns["here"], small_towns["b"]
    response = client.get("/en/compare/", {"t": here.slug, "add": "Bé"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/compare/?t={here.slug}&t={b.slug}"
    response = client.get("/en/compare/", {"t": here.slug, "add": "Nowhere at all"})
    assert response.status_code == 400
    assert "No territory found for “Nowhere at all”" in response.content.decode()


def test_five_known_territories_are_too_many(client, small_towns):
    slugs = [small_towns[k].slug for k in ("here", "b", "c", "d")] + ["hameau"]
    CommuneFactory(slug="hameau", population=300)
    response = client.get("/compare/", {"t": slugs})
    assert response.status_code == 400
    assert "Choisissez de 2 à 4 territoires" in response.content.decode()


def test_a_publish_in_a_peer_recomputes_that_peer_s_counts_only(small_towns):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    here, b = small_towns["here"], small_towns["b"]
    compare(here)
    InitiativeFactory(commune=b)
    with CaptureQueriesContext(connection) as queries:
        comparison = compare(here)
    # Its counts are read again from the tallies, for it alone; nothing is grouped.
    counted = [q["sql"] for q in queries if "initiatives_facettally" in q["sql"]]
    assert counted and all(f"IN ({b.pk})" in sql for sql in counted)
    assert not [q["sql"] for q in queries if "GROUP BY" in q["sql"].upper()]
    assert comparison.total.median == 4.0  # b: 2 per 5,000 → 4.0; c 5.0; d 0.0


def test_the_versions_of_a_territory_and_its_peers_are_read_in_one_query(small_towns):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        compare(small_towns["here"])
    versions = [q["sql"] for q in queries if "initiatives_scopeversion" in q["sql"]]
    # One for the four territories' counts; the others read the reference data alone (once
    # per request in a request, once per reference list outside of one, as here).
    of_territories = [sql for sql in versions if "'t:" in sql]
    assert len(of_territories) == 1
    assert all(f"'t:{small_towns[n].pk}'" in of_territories[0] for n in ("here", "b", "c", "d"))
    assert all("'t:" in sql or "IN ('ref')" in sql for sql in versions)
