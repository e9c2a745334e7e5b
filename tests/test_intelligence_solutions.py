"""The catalogue of solution models: seeded once, filterable in the directory, printed in the
territory's profile."""

import os
import shutil
import subprocess
import sys

import pytest
from django.core.management import call_command

from initiatives.models import Source
from intelligence.models import Solution, SolutionLink
from tests.factories import CommuneFactory, InitiativeFactory


@pytest.fixture
def catalogue(reference_data):
    call_command("load_solutions", verbosity=0)


def test_load_solutions_seeds_the_catalogue_once_and_keeps_curators_edits(catalogue):
    assert Solution.objects.count() == 15
    reuse = Solution.objects.get(slug="recyclerie")
    assert reuse.name_en and reuse.description_fr and reuse.levers.exists()
    reuse.name_fr = "Ressourcerie (modifié)"
    reuse.save()
    call_command("load_solutions", verbosity=0)
    assert Solution.objects.count() == 15
    assert Solution.objects.get(slug="recyclerie").name_fr == "Ressourcerie (modifié)"


def test_demo_samples_are_linked_by_name_and_marked_generated(catalogue):
    sample = InitiativeFactory(name="Recyclerie Test", source=Source.SAMPLE)
    real = InitiativeFactory(name="Recyclerie du coin")  # a real one is left to curators
    call_command("load_solutions", verbosity=0)
    link = SolutionLink.objects.get(initiative=sample)
    assert (link.solution.slug, link.generated) == ("recyclerie", True)
    assert not SolutionLink.objects.filter(initiative=real).exists()
    call_command("load_solutions", verbosity=0)  # again: nothing twice
    assert SolutionLink.objects.filter(initiative=sample).count() == 1


def test_the_directory_filters_by_solution(client, catalogue):
    linked = InitiativeFactory(name="Épicerie du lien")
    linked.solutions.add(Solution.objects.get(slug="epicerie-solidaire"))
    InitiativeFactory(name="Autre chose")
    page = client.get("/en/initiatives/", {"solution": "epicerie-solidaire"}).content.decode()
    assert "Épicerie du lien" in page and "Autre chose" not in page
    data = client.get("/api/initiatives.geojson", {"solution": "epicerie-solidaire"}).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Épicerie du lien"]
    response = client.get("/en/initiatives/", {"solution": "no-such-model"})
    assert response.status_code == 400


def test_a_solution_page_shows_where_it_exists_and_comparable_communes_without_it(
    client, catalogue
):
    town = CommuneFactory(name="Bourg", population=5_000)
    CommuneFactory(name="Voisine", population=5_200)
    InitiativeFactory(commune=town, name="Garage du Bourg").solutions.add(
        Solution.objects.get(slug="garage-solidaire")
    )
    page = client.get("/en/solutions/garage-solidaire/").content.decode()
    assert "Garage du Bourg" in page
    assert "Voisine" in page  # same size class, no solidarity garage yet
    assert client.get("/en/solutions/").status_code == 200
    assert client.get("/en/solutions/nothing/").status_code == 404


def test_the_profile_pdf_holds_its_figures_contacts_date_and_licence(client, catalogue, tmp_path):
    if not shutil.which("pdftotext"):
        if os.environ.get("CI"):
            pytest.fail("CI must read the PDF back: apt-get install poppler-utils (.ci/run)")
        pytest.skip("poppler-utils (pdftotext) missing")
    town = CommuneFactory(name="Plouvert", population=4_000)
    InitiativeFactory(commune=town, name="Repair café de Plouvert", contact_email="rc@example.org")
    response = client.get(f"/en/territories/{town.slug}/profile.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "profile.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())  # lines wrap anywhere
    for expected in (
        "Plouvert",
        "Repair café de Plouvert",
        "rc@example.org",
        "per 10,000 inhabitants",
        "Etalab 2.0",
        "What is missing here",
    ):
        assert expected in text
    french = client.get(f"/territories/{town.slug}/profile.pdf")
    path.write_bytes(french.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Ce qui manque ici" in text


def test_the_printable_profile_page_links_its_pdf(client, catalogue):
    town = CommuneFactory(name="Plouvert", population=4_000)
    page = client.get(f"/en/territories/{town.slug}/profile/").content.decode()
    assert f"/en/territories/{town.slug}/profile.pdf" in page
    assert "Sources and licence" in page


def test_without_weasyprint_the_pdf_answers_503_and_points_to_the_printable_page(
    client, catalogue, monkeypatch
):
    """`make run` installs no Debian package: without Pango, a sentence, not an error page."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what a failed import looks like
    town = CommuneFactory(name="Bourg-Témoin", population=4_000)
    response = client.get(f"/territories/{town.slug}/profile.pdf")
    assert response.status_code == 503
    assert "imprimez la page du profil" in response.content.decode()


def test_where_a_solution_exists_is_read_from_the_tallies(catalogue):
    """Counts by commune and size class of its published initiatives, without reading them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from initiatives.models import Status
    from intelligence.solutions import where
    from territories.models import SizeClass

    garage = Solution.objects.get(slug="garage-solidaire")
    town = CommuneFactory(population=5_000, size_class="small_town")
    city = CommuneFactory(population=60_000, size_class="medium_city")
    for commune in (town, town, city):
        InitiativeFactory(commune=commune).solutions.add(garage)
    InitiativeFactory(commune=city, status=Status.PENDING).solutions.add(garage)  # not public
    with CaptureQueriesContext(connection) as context:
        found = where(garage)
    assert found["count"] == 3
    assert found["communes"] == 2
    assert found["seeds"] == {SizeClass.SMALL_TOWN: town.pk, SizeClass.MEDIUM_CITY: city.pk}
    assert dict(found["by_size"])[SizeClass.SMALL_TOWN.label] == 2
    assert dict(found["by_size"])[SizeClass.MEDIUM_CITY.label] == 1
    # The tallies' rows are grouped, never the initiatives.
    assert not [q for q in context.captured_queries if "initiatives_initiative" in q["sql"]]
