"""The real territories, loaded from the open-data fixture shipped in fixtures/."""

import pytest
from django.core.management import call_command

from territories.models import Kind, SizeClass, Territory
from territories.opendata import match_coordinates, normalise_name

pytestmark = pytest.mark.django_db

# Bounding boxes (south, west, north, east) of metropolitan France and the overseas lands.
FRANCE_BOXES = [
    (41.3, -5.2, 51.2, 9.6),  # metropolitan France and Corsica
    (15.8, -63.2, 18.2, -60.8),  # Guadeloupe, Saint-Martin, Saint-Barthélemy
    (14.3, -61.3, 14.9, -60.8),  # Martinique
    (2.1, -54.7, 5.8, -51.6),  # Guyane
    (-21.4, 55.2, -20.8, 55.9),  # La Réunion
    (-13.1, 44.9, -12.6, 45.4),  # Mayotte
    (46.7, -56.5, 47.2, -56.1),  # Saint-Pierre-et-Miquelon
    (-14.4, -178.2, -13.2, -176.1),  # Wallis-et-Futuna
    (-27.7, -154.8, -7.8, -134.9),  # Polynésie française
    (-22.8, 163.5, -19.5, 168.2),  # Nouvelle-Calédonie
    (-50.0, 39.0, -11.0, 78.0),  # Terres australes et antarctiques françaises
    (10.2, -109.3, 10.4, -109.1),  # Clipperton
]


def in_france(latitude, longitude):
    return any(s <= latitude <= n and w <= longitude <= e for s, w, n, e in FRANCE_BOXES)


def test_loading_gives_every_level_with_the_22_metropolises(real_territories):
    territories = Territory.objects
    assert territories.regions().count() >= 18
    assert territories.departments().count() >= 101
    assert territories.epcis().count() > 1200
    assert 34_000 < territories.communes().count() < 36_000
    metropolises = set(territories.metropolises().values_list("name", flat=True))
    assert len(metropolises) == 22
    assert "Métropole de Lyon" in metropolises
    assert "Métropole du Grand Paris" in metropolises


def test_every_commune_has_coordinates_inside_france(real_territories):
    communes = Territory.objects.communes()
    assert not communes.filter(latitude__isnull=True).exists()
    outside = [
        name
        for name, lat, lon in communes.values_list("name", "latitude", "longitude")
        if not in_france(lat, lon)
    ]
    assert outside == []
    # Almost every point is a town hall or inside the outline; the rest a documented fallback.
    assert communes.filter(coordinates_source="town_hall").count() > 32_000
    assert communes.exclude(coordinates_source__in=["town_hall", "interior"]).count() < 100


@pytest.mark.parametrize(
    ("code", "epci_name", "department_code", "region_code"),
    [
        ("29197", "CC Cap Sizun - Pointe du Raz", "29", "53"),
        ("70467", None, "70", "27"),
    ],
)
def test_seed_small_towns_have_their_whole_chain(
    real_territories, code, epci_name, department_code, region_code
):
    commune = (
        Territory.objects.communes().select_related("epci", "department", "region").get(code=code)
    )
    assert commune.size_class == SizeClass.SMALL_TOWN
    assert commune.epci is not None and commune.epci.kind == Kind.EPCI
    if epci_name:
        assert commune.epci.name == epci_name
    assert commune.department.code == department_code
    assert commune.region.code == region_code


def test_homonyms_in_a_region_keep_their_own_coordinates(real_territories):
    """Plouhinec (Finistère) and Plouhinec (Morbihan) are both in Bretagne."""
    finistere = Territory.objects.communes().get(code="29197")
    assert finistere.coordinates_source == "town_hall"
    assert finistere.longitude < -4.3  # Cap Sizun, not the Morbihan coast


def test_loading_twice_gives_the_same_rows(real_territories):
    def snapshot():
        return list(
            Territory.objects.order_by("kind", "code").values_list(
                "pk",
                "kind",
                "code",
                "slug",
                "population",
                "epci_id",
                "department_id",
                "region_id",
                "size_class",
                "latitude",
                "longitude",
            )
        )

    before = snapshot()
    call_command("load_territories", verbosity=0)
    assert snapshot() == before


def test_load_if_missing_skips_a_loaded_database(real_territories, capsys):
    call_command("load_territories", if_missing=True)
    assert "already loaded" in capsys.readouterr().out


def test_name_matching_ignores_accents_case_and_saint_abbreviations():
    assert normalise_name("St-Étienne") == normalise_name("Saint-Etienne") == "saint etienne"


def test_homonyms_are_paired_by_closest_population():
    communes = [
        {"code": "A", "nom": "Plouhinec", "region": "53", "population": 3_900},
        {"code": "B", "nom": "Plouhinec", "region": "53", "population": 5_400},
    ]
    places = [
        {
            "names": {"plouhinec"},
            "main": "plouhinec",
            "region": "53",
            "lat": 48.0,
            "lon": -4.5,
            "population": 4_400,
        },
    ]
    assert match_coordinates(communes, places) == {"A": (48.0, -4.5)}
