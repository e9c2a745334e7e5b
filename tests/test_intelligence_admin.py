"""Curators keep the catalogue of solution models in the admin and link initiatives to them."""

import pytest
from django.core.management import call_command

from intelligence.models import Solution, SolutionLink
from tests.factories import InitiativeFactory


@pytest.fixture
def curator_client(client, db):
    call_command("create_curator", "alice", email="alice@example.org", password="Curat0r-pass-2026")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="alice"))
    return client


def test_a_curator_links_an_initiative_to_a_solution_model_in_its_admin(curator_client):
    solution = Solution.objects.create(
        slug="repair-t", name_fr="Repair café", name_en="Repair café"
    )
    initiative = InitiativeFactory(name="Le Repair du quartier")
    url = f"/admin/intelligence/solution/{solution.pk}/change/"
    assert curator_client.get(url).status_code == 200
    response = curator_client.post(
        url,
        {
            "slug": "repair-t",
            "name_fr": "Repair café",
            "name_en": "Repair café",
            "position": 0,
            "solutionlink_set-TOTAL_FORMS": 1,
            "solutionlink_set-INITIAL_FORMS": 0,
            "solutionlink_set-0-initiative": initiative.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = SolutionLink.objects.get(solution=solution)
    assert (link.initiative, link.generated) == (initiative, False)
    # The links list filters by solution model and by how they were made.
    page = curator_client.get("/admin/intelligence/solutionlink/", {"generated__exact": 0})
    assert "Le Repair du quartier" in page.content.decode()


def test_a_curator_cannot_delete_a_solution_model(curator_client):
    solution = Solution.objects.create(slug="x-t", name_fr="X", name_en="X")
    response = curator_client.get(f"/admin/intelligence/solution/{solution.pk}/delete/")
    assert response.status_code == 403
