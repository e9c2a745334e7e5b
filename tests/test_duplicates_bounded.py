"""Duplicate hints cost a bounded amount of work whatever the size of the directory: few
candidates picked by the database (an index on PostgreSQL), rate-limited, cached."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives import duplicates
from initiatives.duplicates import MAX_CANDIDATES, find_duplicates, similar_names
from initiatives.models import Initiative
from tests.factories import CommuneFactory, InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded_commune():
    """One commune with 120 initiatives of close names, and the one a citizen means."""
    commune = CommuneFactory(name="Villeurbanne", code="69266", latitude=45.77, longitude=4.88)
    theme = ThemeFactory()
    InitiativeFactory(name="Repair café du Tonkin", commune=commune, themes=[theme])
    for n in range(120):
        InitiativeFactory(name=f"Atelier solidaire {n}", commune=commune, themes=[theme])
    return commune


def test_only_a_bounded_number_of_candidates_is_scored(crowded_commune, monkeypatch):
    scored = []
    real_similarity = duplicates.similarity

    def counting(a, b):
        scored.append(b)
        return real_similarity(a, b)

    monkeypatch.setattr(duplicates, "similarity", counting)
    find_duplicates("Atelier solidaire", crowded_commune)
    assert 0 < len(scored) <= MAX_CANDIDATES


def test_a_typo_still_finds_the_initiative(crowded_commune):
    found = find_duplicates("Repiar cafe du Tonkin", crowded_commune)
    assert [initiative.name for initiative, _ in found] == ["Repair café du Tonkin"]


def test_a_longer_name_finds_the_shorter_one(crowded_commune):
    found = find_duplicates("Le Repair café du Tonkin de Villeurbanne", crowded_commune)
    assert "Repair café du Tonkin" in [initiative.name for initiative, _ in found]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_the_candidates_come_from_the_trigram_index(crowded_commune):
    queryset = similar_names(Initiative.objects.all(), "Repair cafe")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "initiative_name_trigram" in plan


def test_the_hints_are_rate_limited_per_address(client, crowded_commune, settings):
    settings.DUPLICATE_HINT_RATE_LIMIT = 3
    url = "/api/duplicates/?commune=69266&name="
    for n in range(3):
        assert client.get(url + f"atelier{n}").status_code == 200
    response = client.get("/en" + url + "atelier")
    assert response.status_code == 429
    assert "Too many requests" in response.json()["errors"][0]
    assert client.get(url + "atelier", REMOTE_ADDR="10.0.0.7").status_code == 200


def test_the_same_question_is_answered_from_the_cache(client, crowded_commune):
    url = "/api/duplicates/?commune=69266&name=Repair+caf%C3%A9+du+Tonkin"
    first = client.get(url).json()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).json()
    assert again == first and first["results"]
    assert not [q for q in queries if "initiatives_initiative" in q["sql"]]


def test_the_review_queue_asks_the_database_once_per_row_until_the_data_changes(crowded_commune):
    from initiatives.duplicates import duplicates_of

    pending = InitiativeFactory(
        name="Repair cafe Tonkin", commune=crowded_commune, status="pending"
    )
    first = duplicates_of(pending)
    assert [i.name for i, _ in first] == ["Repair café du Tonkin"]
    with CaptureQueriesContext(connection) as queries:
        assert duplicates_of(pending) == first
    assert not [q for q in queries if "initiatives_initiative" in q["sql"]]
