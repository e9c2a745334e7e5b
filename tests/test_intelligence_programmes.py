"""Programme membership imported from a CSV: badges and filters follow, unknown rows are
reported with their line, nothing is guessed."""

import pytest
from django.core.management import call_command
from django.utils import translation

from intelligence.models import ProgrammeMembership
from intelligence.programmes import import_memberships
from territories.models import EpciKind, Programme
from tests.factories import CommuneFactory, EpciFactory


@pytest.fixture
def pvd(db):
    return Programme.objects.create(
        slug="petites-villes-de-demain", name_fr="Petites villes de demain", name_en="Small towns"
    )


def test_rows_add_territories_to_programmes_with_year_and_source(pvd):
    town = CommuneFactory(code="29197", name="Plouhinec")
    epci = EpciFactory(code="200067197", epci_kind=EpciKind.COMMUNAUTE_COMMUNES)
    with translation.override("en"):
        report = import_memberships(_rows())
    assert (report.added, report.updated) == (2, 0)
    assert list(town.programmes.all()) == [pvd] and list(epci.programmes.all()) == [pvd]
    membership = ProgrammeMembership.objects.get(territory=town)
    assert (membership.year, membership.source) == (2020, "ANCT liste 2020")
    assert [error.split(":")[0] for error in report.errors] == ["Line 4", "Line 5", "Line 6"]


def _rows():
    return [
        "programme,code,year,source\n",
        "petites-villes-de-demain,29197,2020,ANCT liste 2020\n",
        "Petites villes de demain,200067197,,ANCT\n",
        "action-coeur-de-ville,29197,2018,x\n",
        "petites-villes-de-demain,99999,2020,x\n",
        "petites-villes-de-demain,29197,20x0,x\n",
    ]


def test_importing_again_updates_instead_of_duplicating(pvd):
    CommuneFactory(code="70467")
    rows = ["programme,code,year,source\n", "petites-villes-de-demain,70467,2021,A\n"]
    import_memberships(rows)
    report = import_memberships([rows[0], "petites-villes-de-demain,70467,2022,B\n"])
    assert (report.added, report.updated) == (0, 1)
    assert ProgrammeMembership.objects.get().year == 2022


def test_a_file_without_the_columns_is_refused_whole(pvd):
    report = import_memberships(["programme,insee\n", "petites-villes-de-demain,29197\n"])
    assert report.errors == ["Colonnes manquantes : code, year, source."]  # French by default


def test_the_command_reads_a_file_and_says_what_it_did(pvd, tmp_path, capsys):
    CommuneFactory(code="29197")
    path = tmp_path / "pvd.csv"
    path.write_text("programme,code,year,source\npetites-villes-de-demain,29197,2020,ANCT\n")
    call_command("import_programmes", str(path))
    assert "1 added, 0 updated, 0 rows refused" in capsys.readouterr().out
