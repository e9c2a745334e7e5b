"""The JSON the form uses: commune autocomplete and duplicate hints."""

import pytest

from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    PendingInitiativeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    finistere = DepartmentFactory(code="29", name="Finistère")
    morbihan = DepartmentFactory(code="56", name="Morbihan")
    return {
        "29": CommuneFactory(
            name="Plouhinec",
            code="29197",
            postcodes="29780",
            population=4000,
            epci__department=finistere,
            latitude=48.01,
            longitude=-4.49,
        ),
        "56": CommuneFactory(
            name="Plouhinec",
            code="56169",
            postcodes="56680",
            population=5000,
            epci__department=morbihan,
            latitude=47.70,
            longitude=-3.25,
        ),
        "other": CommuneFactory(name="Plouha", code="22222", postcodes="22580", population=4500),
    }


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.json()["results"]


def test_communes_by_name_prefix_tell_homonyms_apart(client, communes):
    found = results(client, "/api/communes/?q=plouhin")
    assert [c["label"] for c in found] == ["Plouhinec (56)", "Plouhinec (29)"]
    assert found[1] == {
        "code": "29197",
        "name": "Plouhinec",
        "label": "Plouhinec (29)",
        "department": "Finistère",
        "postcodes": ["29780"],
        "latitude": 48.01,
        "longitude": -4.49,
    }


def test_communes_by_postcode_and_insee_code(client, communes):
    assert [c["code"] for c in results(client, "/api/communes/?q=29780")] == ["29197"]
    assert [c["code"] for c in results(client, "/api/communes/?q=56169")] == ["56169"]


def test_communes_need_two_characters_and_never_fail(client, communes):
    assert results(client, "/api/communes/?q=p") == []
    # Control characters are refused by the one gate (ssemap.middleware), with reasons.
    assert client.get("/api/communes/?q=" + "%00" * 500).status_code == 400
    assert results(client, "/api/communes/") == []


def test_duplicates_lists_similar_published_names_nearby(client, communes):
    InitiativeFactory(name="Les Ateliers Jean Moulin", commune=communes["29"])
    InitiativeFactory(
        name="Ateliers Jean Moulin", commune=communes["other"], latitude=48.7, longitude=-2.9
    )  # far away
    PendingInitiativeFactory(name="Ateliers Jean-Moulin", commune=communes["29"])
    InitiativeFactory(name="Épicerie solidaire", commune=communes["29"])

    found = results(client, "/api/duplicates/?name=atelier+jean+moulin&commune=29197")

    assert [d["name"] for d in found] == ["Les Ateliers Jean Moulin"]
    assert found[0]["url"] == "/initiatives/les-ateliers-jean-moulin/"
    assert found[0]["correct_url"] == "/initiatives/les-ateliers-jean-moulin/correct/"


def test_duplicates_accept_the_commune_label_and_ignore_unknown_ones(client, communes):
    InitiativeFactory(name="Repair café", commune=communes["29"])
    assert len(results(client, "/api/duplicates/?name=Repair+cafe&commune=Plouhinec+(29)")) == 1
    assert results(client, "/api/duplicates/?name=Repair+cafe&commune=Atlantis") == []
    assert results(client, "/api/duplicates/?name=Repair+cafe&commune=plouhinec") == []  # ambiguous
