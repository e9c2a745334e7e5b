"""The directory's filters, facets, chips, search and sort (initiatives/filters.py, directory.py)."""

import re

import pytest
from django.db import connection
from django.http import QueryDict

from initiatives.filters import InitiativeFilterSet
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def listed(client, query=""):
    """Slugs of the initiatives the directory lists for ``query``, in order (one page)."""
    response = client.get(f"/initiatives/?{query}")
    assert response.status_code == 200, response.content[:500]
    return re.findall(r'class="card" data-slug="([^"]+)"', response.content.decode())


def names(client, query=""):
    return set(listed(client, query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=alimentation", {"repair", "grocery"}),
        ("practice=mutualisation", {"repair", "carshare"}),
        ("lever=locaux", {"repair"}),
        ("legal_form=scic", {"bikes", "carshare"}),
        ("size_class=large_city", {"repair"}),
        ("size_class=rural", {"grocery"}),
        ("low_tech=1", {"repair", "grocery"}),
        ("territory=rhone-alpes-test", {"repair", "bikes", "grocery"}),
        ("territory=rhone-test", {"repair", "bikes", "grocery"}),
        ("territory=metropole-test", {"repair", "bikes"}),
        ("territory=petiteville", {"bikes"}),
        ("bbox=4.7,45.7,5.0,45.9", {"repair", "bikes"}),
        ("q=epicerie", {"grocery"}),
    ],
)
def test_each_filter_alone_selects_its_initiatives(client, world, query, expected):
    assert names(client, query) == {getattr(world, key).slug for key in expected}


def test_repeated_parameter_matches_any_of_its_values(client, world):
    assert names(client, "theme=alimentation&theme=mobilite") == {
        world.repair.slug,
        world.grocery.slug,
        world.bikes.slug,
        world.carshare.slug,
    }


def test_different_filters_combine_and_each_must_match(client, world):
    assert names(client, "theme=alimentation&low_tech=1&territory=metropole-test") == {
        world.repair.slug
    }
    assert names(client, "legal_form=scic&practice=mutualisation") == {world.carshare.slug}
    assert names(client, "theme=mobilite&size_class=rural") == set()


def test_territory_filter_includes_every_level_below(client, world):
    in_region = names(client, "territory=rhone-alpes-test")
    in_epci = names(client, "territory=metropole-test")
    in_commune = names(client, "territory=grandeville")
    assert in_commune < in_epci < in_region
    assert names(client, "territory=bretagne-test") == {world.carshare.slug}


def test_facet_counts_apply_the_other_filters_but_not_their_own(client, world):
    filterset_html = client.get("/initiatives/?theme=alimentation&territory=rhone-alpes-test")
    html = filterset_html.content.decode()

    def count(facet, value):
        match = re.search(
            rf'id="f-{facet}-{value}"[^>]*>\s*<label[^>]*>[^<]*<span class="count">'
            r'<span class="visually-hidden">\(</span>(\d+)',
            html,
        )
        assert match, f"no option {facet}={value}"
        return int(match.group(1))

    # Themes are counted without the theme filter, within the territory: food 2, mobility 1.
    assert count("theme", "alimentation") == 2
    assert count("theme", "mobilite") == 1
    # Other facets are counted with the theme filter: the two food initiatives are associations.
    assert count("legal_form", "association") == 2
    assert count("legal_form", "scic") == 0
    assert count("low_tech", "1") == 2


def test_options_that_would_give_nothing_are_disabled_but_chosen_ones_stay_usable(client, world):
    html = client.get("/initiatives/?theme=alimentation").content.decode()
    assert re.search(r'id="f-legal_form-scic"[^>]*disabled', html)
    assert not re.search(r'id="f-theme-alimentation"[^>]*disabled', html)
    assert re.search(r'id="f-theme-alimentation"[^>]*checked', html)


def test_active_filters_show_as_chips_that_remove_one_value_each(client, world):
    html = client.get("/initiatives/?theme=alimentation&theme=mobilite&low_tech=1&page=1").content
    html = html.decode()
    chips = re.findall(r'class="chip" href="([^"]+)"[^>]*><span>([^<]+)</span>', html)
    by_label = {label: href.replace("&amp;", "&") for href, label in chips}
    assert set(by_label) == {"Alimentation", "Mobilité douce", "Low-tech"}
    assert by_label["Alimentation"] == "/initiatives/?theme=mobilite&low_tech=1"
    assert by_label["Low-tech"] == "/initiatives/?theme=alimentation&theme=mobilite"


def test_result_count_and_pagination(client, world):
    for n in range(25):
        InitiativeFactory(name=f"Zz extra {n:02d}", commune=world.city)
    first = client.get("/initiatives/?sort=name").content.decode()
    assert "29 initiatives" in first
    assert first.count('class="card"') == 20
    second = listed(client, "sort=name&page=2")
    assert len(second) == 9
    assert second[-1] == "zz-extra-24"


def test_search_ignores_accents_and_case(client, world):
    assert names(client, "q=ENERGIE") == {world.repair.slug}
    assert names(client, "q=épicerie") == {world.grocery.slug}
    assert names(client, "q=hameau") == {world.grocery.slug}  # the commune's name


def test_search_finds_organisation_and_description(client, world):
    InitiativeFactory(name="Sans mot", organisation="Coopérative Zéphyr", commune=world.city)
    InitiativeFactory(name="Autre", description="On y parle de zéphyr.", commune=world.city)
    assert names(client, "q=zephyr") == {"sans-mot", "autre"}


def test_search_ranks_name_matches_first(client, world):
    InitiativeFactory(name="Compost collectif", summary="Un jardin.", commune=world.city)
    InitiativeFactory(name="Jardin partagé", summary="On y fait du compost.", commune=world.city)
    assert listed(client, "q=compost")[:2] == ["compost-collectif", "jardin-partage"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming needs PostgreSQL's French dictionary"
)
def test_search_stems_french_words_on_postgresql(client, world):
    # "réparations" and "réparation" share the stem "repar", accents removed.
    assert names(client, "q=reparations") == {world.repair.slug}
    assert names(client, "q=energie") == {world.repair.slug}


def test_sort_by_name_newest_and_distance(client, world):
    by_name = listed(client, "sort=name")
    assert by_name == [world.repair.slug, world.carshare.slug, world.grocery.slug, world.bikes.slug]
    newest = listed(client, "sort=newest")
    assert newest[0] == world.carshare.slug  # created last
    nearest_first = listed(client, "sort=distance&near=moyenneville")
    assert nearest_first[0] == world.carshare.slug
    assert nearest_first[-1] == world.bikes.slug  # the easternmost
    from_village = listed(client, "sort=distance&near=hameau")
    assert from_village[0] == world.grocery.slug


@pytest.mark.parametrize(
    "query",
    ["q=atelier", "q=atelier&sort=name", "sort=newest", "sort=name", "sort=distance&near=hameau"],
)
def test_a_page_of_results_is_the_slice_of_the_ordered_results(world, query):
    """A page reads its ids on the sort alone, then their rows: the same rows, in order."""
    for i in range(7):
        InitiativeFactory(name=f"Atelier {7 - i}", summary="Un atelier.", commune=world.city)
    results = InitiativeFilterSet(QueryDict(query)).qs.with_public_relations()
    assert results.count() > 5
    for start in (0, 2, 5):
        assert results.rows(start, start + 3) == list(results[start : start + 3])
    assert results.rows(1000, 1003) == []


def test_distance_without_a_commune_says_so_and_keeps_the_default_order(client, world):
    response = client.get("/en/initiatives/?sort=distance")
    assert response.status_code == 200
    assert "Enter a commune to sort by distance" in response.content.decode()
    assert listed(client, "sort=distance") == listed(client, "")
