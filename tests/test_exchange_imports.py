"""Importers: GoGoCarto, data·inclusion and mapped CSV files — preview, commit, re-import.

The sample files (exchange/samples/) are realistic: accents, missing fields, a record that
duplicates a demo initiative, one whose theme has no correspondence, one with markup.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from exchange.formats import read
from exchange.importer import ImportConflict, commit, plan
from exchange.models import ImportRun, ThemeCorrespondence
from exchange.places import CommuneIndex
from exchange.records import Record
from initiatives.licences import Licence
from initiatives.models import Initiative, LocationPrecision, Source, Status
from tests.exchange_world import CSV, DATA_INCLUSION, GOGOCARTO, build_samples_world
from tests.factories import CommuneFactory, InitiativeFactory, ThemeFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def demo(real_territories, reference_data):
    """The shipped territories and the real initiatives of the seeds (no generated samples)."""
    call_command("load_demo", samples=0, verbosity=0)


@pytest.fixture
def samples_world(reference_data):
    return build_samples_world()


def run(format, path, *extra):
    out = StringIO()
    call_command("import_initiatives", "--format", format, str(path), *extra, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("format", "path", "summary"),
    [
        ("gogocarto", GOGOCARTO, "3 new, 0 updated, 0 unchanged, 1 duplicates"),
        ("data-inclusion", DATA_INCLUSION, "2 new, 0 updated, 0 unchanged, 1 duplicates"),
        ("csv", CSV, "2 new, 0 updated, 0 unchanged, 0 duplicates"),
    ],
)
def test_a_sample_file_is_previewed_committed_then_reimported_without_change(
    demo, format, path, summary
):
    before = Initiative.objects.count()

    preview = run(format, path)
    assert summary in preview
    assert "rejected" in preview and "Preview only: nothing written" in preview
    assert Initiative.objects.count() == before

    committed = run(format, path, "--commit")
    created = int(summary.split()[0])
    assert f"Imported: {created} created, 0 updated." in committed
    assert Initiative.objects.count() == before + created

    again = run(format, path, "--commit")
    assert f"0 new, 0 updated, {created} unchanged" in again
    assert Initiative.objects.count() == before + created
    assert ImportRun.objects.count() == 2


def test_the_preview_names_each_rejected_row_and_its_reasons(samples_world):
    out = run("gogocarto", GOGOCARTO)
    assert "duplicate, line 3 'Ateliers Jean Moulin' ~ Les Ateliers Jean Moulin" in out
    assert "line 5 'Chorale des Abers': No theme of ours matches “Chant choral”" in out
    line6 = next(line for line in out.splitlines() if "line 6" in line)
    assert "summary or description" in line6  # no description at all
    assert "characters that have no place" in line6  # the public form's markup check


def test_imported_records_keep_their_provenance_and_the_source_licence(samples_world):
    run("gogocarto", GOGOCARTO, "--commit", "--source", "Transiscope Bretagne")
    repair = Initiative.objects.get(source_name="Transiscope Bretagne", source_identifier="TsQ1")
    assert (repair.source, repair.status) == (Source.IMPORT, Status.PENDING)
    assert repair.licence == Licence.ODBL_1  # the file says ODbL
    assert repair.refreshed_at is not None
    assert repair.commune.code == "29232"  # Quimper, from its postcode and name
    assert repair.location_precision == LocationPrecision.EXACT
    assert sorted(repair.themes.values_list("slug", flat=True)) == ["environnement", "solidarite"]
    assert repair.history.latest().history_change_reason.startswith("import gogocarto")
    grocery = Initiative.objects.get(source_identifier="TsQ2")
    assert grocery.location_precision == LocationPrecision.COMMUNE  # no coordinates given


def test_a_changed_record_updates_the_one_imported_before_never_a_copy(samples_world, tmp_path):
    run("data-inclusion", DATA_INCLUSION, "--commit", "--source", "dora")
    data = json.loads(DATA_INCLUSION.read_text())
    data[0]["nom"] = "Épicerie sociale et solidaire du Pile"
    data[0]["thematiques"] = ["emploi--trouver-un-emploi"]
    changed = tmp_path / "structures.json"
    changed.write_text(json.dumps(data), encoding="utf-8")

    out = run("data-inclusion", changed, "--commit", "--source", "dora")

    assert "0 new, 1 updated, 1 unchanged" in out
    assert "update, line 1" in out and "name, themes" in out
    pile = Initiative.objects.get(source_name="dora", source_identifier="dora--ccas-roubaix-2024")
    assert pile.name == "Épicerie sociale et solidaire du Pile"
    assert list(pile.themes.values_list("slug", flat=True)) == ["emploi"]
    assert Initiative.objects.filter(source_name="dora").count() == 2


def test_the_theme_correspondence_table_maps_a_label_of_the_source(samples_world):
    ThemeCorrespondence.objects.create(label="Chant choral", theme_id=_theme("culture"))
    records, errors, licence = read("gogocarto", GOGOCARTO.read_bytes())
    result = plan(records, format="gogocarto", source_name="t", licence=licence)
    chorale = next(row for row in result.rows if row.line == 5)
    assert chorale.action == "create"
    assert [theme.slug for theme in chorale.themes] == ["culture"]


def test_a_correspondence_without_theme_ignores_a_label(samples_world):
    ThemeCorrespondence.objects.create(label="Entraide", theme=None)
    records, _errors, _licence = read("gogocarto", GOGOCARTO.read_bytes())
    repair = plan(records, format="gogocarto", source_name="t").rows[0]
    assert [theme.slug for theme in repair.themes] == ["environnement"]


def _theme(slug):
    from initiatives.models import Theme

    return Theme.objects.get(slug=slug).pk


@pytest.mark.django_db
def test_communes_resolve_from_insee_code_postcode_and_name_or_coordinates():
    brest = CommuneFactory(
        code="29019", name="Brest", postcodes="29200", latitude=48.39, longitude=-4.48
    )
    CommuneFactory(code="29232", name="Quimper", postcodes="29000", latitude=48.0, longitude=-4.1)
    index = CommuneIndex(need_all=True)

    assert index.resolve(Record(1, insee="29019"))[0] == brest
    assert index.resolve(Record(1, postcode="29200", commune_name="BREST"))[0] == brest
    assert index.resolve(Record(1, latitude=48.40, longitude=-4.50))[0] == brest
    commune, reason = index.resolve(Record(1, insee="99999"))
    assert commune is None and "99999" in reason


@pytest.mark.django_db
def test_a_record_like_an_existing_initiative_is_flagged_not_inserted():
    food = ThemeFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    commune = CommuneFactory(code="29019", name="Brest", postcodes="29200")
    InitiativeFactory(name="Épicerie solidaire de Brest", commune=commune, themes=[food])
    records = [
        Record(1, "a", name="Epicerie Solidaire de Brest", summary="Une épicerie.", insee="29019",
               themes=["Alimentation"]),
        Record(2, "b", name="Jardin des Capucins", summary="Un jardin.", insee="29019",
               themes=["Alimentation"]),
    ]  # fmt: skip

    result = plan(records, format="csv", source_name="s")
    assert [row.action for row in result.rows] == ["duplicate", "create"]
    assert result.rows[0].duplicate_of == "Épicerie solidaire de Brest"

    commit(result)
    assert Initiative.objects.filter(source_name="s").count() == 1


@pytest.mark.django_db
def test_a_csv_with_other_columns_imports_through_a_mapping():
    ThemeFactory(slug="culture", name_fr="Culture et patrimoine", name_en="Culture")
    CommuneFactory(code="63113", name="Clermont-Ferrand", postcodes="63000 63100")
    content = (
        "Réf,Intitulé,Texte,INSEE,Domaine\nX1,Ciné-club,Des films et des débats.,63113,Culture\n"
    )
    mapping = {"identifier": "Réf", "name": "Intitulé", "summary": "Texte", "insee": "INSEE",
               "themes": "Domaine"}  # fmt: skip

    records, errors, _licence = read("csv", content.encode(), mapping)
    result = plan(records, format="csv", source_name="clermont.csv")

    assert errors == [] and result.summary["create"] == 1
    run_ = commit(result)
    assert run_.created == 1
    assert Initiative.objects.get(source_identifier="X1").name == "Ciné-club"


@pytest.mark.django_db
def test_a_file_that_is_not_what_it_says_is_refused_with_a_reason():
    records, errors, _licence = read("gogocarto", b"\xff\xfe not json")
    assert records == [] and "UTF-8" in errors[0]
    _records, errors, _licence = read("data-inclusion", b'{"nothing": 1}')
    assert "No list of structures" in errors[0]
    _records, errors, _licence = read("csv", b"a,b\n1,2\n", {"name": "missing"})
    assert "no column “missing”" in errors[0]


def test_a_reimport_under_another_licence_never_relabels_odbl_records(samples_world, tmp_path):
    run("gogocarto", GOGOCARTO, "--commit", "--source", "Transiscope")  # the file says ODbL
    data = json.loads(GOGOCARTO.read_text())
    data["data"][1]["description"] = "Une épicerie à prix choisi, approvisionnée localement."
    changed = tmp_path / "transiscope.json"
    changed.write_text(json.dumps(data), encoding="utf-8")

    run("gogocarto", changed, "--commit", "--source", "Transiscope", "--licence", "etalab-2.0")

    grocery = Initiative.objects.get(source_name="Transiscope", source_identifier="TsQ2")
    assert grocery.summary.startswith("Une épicerie à prix choisi")
    assert grocery.licence == Licence.ODBL_1


def test_a_commit_refused_by_the_database_writes_nothing_and_says_why(samples_world):
    records, _errors, licence = read("gogocarto", GOGOCARTO.read_bytes())
    first = plan(records, format="gogocarto", source_name="Transiscope", licence=licence)
    second = plan(records, format="gogocarto", source_name="Transiscope", licence=licence)
    commit(first)  # another curator's import of the same source, after this preview

    with pytest.raises(ImportConflict, match="nothing was imported"):
        commit(second)
    assert Initiative.objects.filter(source_name="Transiscope").count() == 3
    assert ImportRun.objects.count() == 1


@pytest.mark.django_db
def test_a_long_text_becomes_a_short_summary_and_the_whole_description():
    ThemeFactory(slug="culture", name_fr="Culture", name_en="Culture")
    CommuneFactory(code="63113", name="Clermont-Ferrand")
    text = "Un ciné-club associatif. " * 30  # 750 characters, a GoGoCarto “description”
    record = Record(1, "c1", name="Ciné-club", summary=text, insee="63113", themes=["Culture"])

    [row] = plan([record], format="gogocarto", source_name="s").rows

    assert row.action == "create", row.reasons
    assert len(row.values["summary"]) == 300 and row.values["summary"].endswith("…")
    assert row.values["description"] == text.strip()


def test_labels_without_a_theme_are_named_in_the_preview_of_an_accepted_row(samples_world):
    data = json.loads(GOGOCARTO.read_text())
    assert data["data"][0]["categories"] == ["Réemploi", "Entraide"]
    ThemeCorrespondence.objects.create(label="Réemploi", theme_id=_theme("environnement"))
    records, _errors, _licence = read("gogocarto", GOGOCARTO.read_bytes())
    records[0].themes.append("Bricolage")

    repair = plan(records, format="gogocarto", source_name="t").rows[0]

    assert repair.action == "create"
    assert repair.notes == ["Labels without a theme of ours, left out: “Bricolage”."]
