"""The import page of the admin: upload, (CSV) column mapping, preview, commit all at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from exchange.models import ImportRun, ThemeCorrespondence
from initiatives.models import Initiative
from tests.exchange_world import CSV, GOGOCARTO, build_samples_world

IMPORT_URL = "/en/admin/exchange/importrun/import/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def samples_world(reference_data):
    return build_samples_world()


def upload(client, path, format, **extra):
    file = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(IMPORT_URL, {"upload": "1", "format": format, "file": file, **extra})


def test_a_curator_previews_then_imports_a_gogocarto_file(samples_world, admin_client):
    preview = upload(admin_client, GOGOCARTO, "gogocarto", source_name="Transiscope")

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview of Transiscope (odbl-1.0)" in html
    assert "No theme of ours matches “Chant choral”" in html
    assert "Like “Les Ateliers Jean Moulin”" in html
    assert Initiative.objects.filter(source_name="Transiscope").count() == 0

    digest = preview.context["stored"]["digest"]
    done = admin_client.post(IMPORT_URL, {"commit": "1", "digest": digest}, follow=True)

    assert "3 initiatives created" in done.content.decode()
    assert Initiative.objects.filter(source_name="Transiscope").count() == 3
    run = ImportRun.objects.get()
    assert (run.created, run.duplicates, run.rejected) == (3, 1, 2)


def test_a_csv_goes_through_the_column_mapping_step(samples_world, admin_client):
    step = upload(admin_client, CSV, "csv", source_name="Réseau ESS Occitanie")
    mapping = step.context["mapping"]
    assert mapping.initial["name"] == "Nom de la structure"  # guessed from the header
    assert mapping.initial["themes"] == "Thématique"

    data = dict(mapping.initial)
    data.update(map="1", digest=step.context["stored"]["digest"], summary="Présentation")
    preview = admin_client.post(IMPORT_URL, data)

    assert preview.context["plan"].summary["create"] == 2
    admin_client.post(IMPORT_URL, {"commit": "1", "digest": preview.context["stored"]["digest"]})
    assert Initiative.objects.filter(source_name="Réseau ESS Occitanie").count() == 2


def test_an_expired_or_forged_preview_imports_nothing(samples_world, admin_client):
    response = admin_client.post(IMPORT_URL, {"commit": "1", "digest": "forged"}, follow=True)
    assert "The preview expired" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_theme_correspondences_are_edited_in_the_admin(samples_world, admin_client):
    from initiatives.models import Theme

    culture = Theme.objects.get(slug="culture")
    admin_client.post(
        "/en/admin/exchange/themecorrespondence/add/",
        {"label": "Chant choral", "theme": culture.pk},
    )
    assert ThemeCorrespondence.objects.get().folded == "chant choral"
    preview = upload(admin_client, GOGOCARTO, "gogocarto")
    assert preview.context["plan"].summary["create"] == 4


def test_the_import_page_is_for_curators_only(db, client, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403


def test_a_curator_imports_files_and_edits_theme_correspondences(db, client):
    from django.core.management import call_command

    call_command("create_curator", "alice", password="a-long-passphrase", verbosity=0)
    client.login(username="alice", password="a-long-passphrase")

    assert client.get(IMPORT_URL).status_code == 200
    assert client.get("/en/admin/exchange/importrun/").status_code == 200
    assert client.get("/en/admin/exchange/themecorrespondence/add/").status_code == 200
