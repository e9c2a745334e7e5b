"""/api/territories/: any territory — region, department, intercommunality, commune — as one
types, for the directory's territory filter and the territory list page."""

import pytest

pytestmark = pytest.mark.django_db


def suggest(client, q):
    response = client.get("/api/territories/", {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_a_commune_comes_with_its_department_and_page(client, world):
    results = suggest(client, "petitev")
    assert results[0]["slug"] == "petiteville"
    assert results[0]["kind"] == "commune"
    assert results[0]["label"] == "Petiteville (69)"
    assert results[0]["url"] == "/territories/petiteville/"


def test_intercommunalities_of_every_kind_are_offered(client, world):
    slugs = {r["slug"] for r in suggest(client, "CC des")}
    assert "cc-rurale-test" in slugs
    metropolis = suggest(client, "Métropole te")[0]
    assert metropolis["slug"] == "metropole-test"
    assert metropolis["detail"].startswith("Métropole")


def test_a_word_inside_the_name_matches(client, world):
    assert "metropole-test" in {r["slug"] for r in suggest(client, "test")}


def test_a_department_code_finds_the_department_first(client, world):
    assert suggest(client, "69")[0]["slug"] == "rhone-test"


def test_exact_names_come_first_then_the_most_populous(client, world):
    results = suggest(client, "grandeville")
    assert results[0]["slug"] == "grandeville"


@pytest.mark.parametrize("q", ["", "a", " ", "x" * 5000, "%", "_", "' OR 1=1 --"])
def test_odd_input_gives_an_empty_or_plain_answer(client, world, q):
    assert isinstance(suggest(client, q), list)


def test_a_control_character_is_refused_with_a_reason(client, world):
    response = client.get("/api/territories/", {"q": "Ly\x00on"})
    assert response.status_code == 400


def test_the_directory_accepts_a_commune_and_an_epci_it_suggested(client, world):
    for slug in ("petiteville", "cc-rurale-test"):
        response = client.get("/initiatives/", {"territory": slug})
        assert response.status_code == 200
        assert f'value="{slug}" selected' in response.content.decode()
