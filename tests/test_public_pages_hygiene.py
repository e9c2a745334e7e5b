"""What every public page owes its visitors and tools: a way to contribute, a description, a
favicon, compressed HTML, valid dates, export names that say what they hold, hashed modules;
and the curators' admin that says what it is and opens on the review queue."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

from initiatives.models import Initiative

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/atelier-de-reparation/",
    "/territories/",
    "/territories/petiteville/",
    "/levers/",
    "/about/",
    "/en/initiatives/",
]


@pytest.fixture
def pages(client, world):
    world.repair.slug = "atelier-de-reparation"
    world.repair.save()
    return {path: client.get(path) for path in PUBLIC_PAGES}


def test_submit_an_initiative_is_offered_on_every_public_page(pages):
    for path, response in pages.items():
        assert response.status_code == 200, path
        html = response.content.decode()
        assert 'class="button submit-cta" href="/' in html, path
        label = "Submit an initiative" if path.startswith("/en/") else "Proposer une initiative"
        assert label in html, path


def test_the_home_page_and_the_empty_directory_invite_a_submission(client, world):
    assert client.get("/").content.decode().count("/initiatives/submit/") >= 2
    empty = client.get("/initiatives/", {"q": "zzzzzz"}).content.decode()
    assert "empty-state" in empty
    assert empty.count("/initiatives/submit/") >= 2


def test_every_public_page_has_its_own_description(pages):
    seen = set()
    for path, response in pages.items():
        match = re.search(
            r'<meta name="description" content="([^"]{40,})">', response.content.decode()
        )
        assert match, path
        seen.add(match.group(1))
    assert len(seen) >= 6


def test_a_favicon_is_declared_and_favicon_ico_leads_to_it(client, pages):
    assert 'rel="icon" href="/static/favicon.svg"' in pages["/"].content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/favicon.svg")


def test_html_is_sent_compressed(client, world):
    response = client.get("/initiatives/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    fragment = client.get(
        "/initiatives/", headers={"accept-encoding": "gzip", "x-requested-with": "fetch"}
    )
    assert fragment["Content-Encoding"] == "gzip"


def test_update_times_are_valid_html_datetimes(pages):
    html = pages["/initiatives/atelier-de-reparation/"].content.decode()
    stamp = re.search(r'<time datetime="([^"]+)"', html).group(1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp), stamp


def test_counts_use_one_french_number_format(client, world):
    copies = []
    for n in range(1001):
        copy = Initiative.objects.get(pk=world.repair.pk)
        copy.pk, copy.slug = None, f"copie-{n}"
        copies.append(copy)
    Initiative.objects.bulk_create(copies)
    html = client.get("/initiatives/").content.decode()
    heading = re.search(r'id="results-heading"[^>]*>([^<]+)<', html).group(1)
    assert heading == "1\xa0005 initiatives"  # as the home page writes its figures


def test_export_names_say_which_filters_made_them(client, world):
    response = client.get(
        "/initiatives/export.csv",
        {"territory": "metropole-test", "theme": world.food.slug, "low_tech": "1"},
    )
    name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
    assert re.fullmatch(
        rf"ssemap-initiatives-metropole-test-{world.food.slug}-low-tech-\d{{8}}\.csv", name
    ), name
    plain = client.get("/initiatives/export.geojson")["Content-Disposition"]
    assert re.search(r'filename="ssemap-initiatives-\d{8}\.geojson"', plain)
    searched = client.get("/initiatives/export.csv", {"q": 'Épicerie "bio"/..\\'})
    assert re.search(
        r'filename="ssemap-initiatives-epicerie-bio-\d{8}\.csv"', searched["Content-Disposition"]
    )


def test_module_imports_are_hashed_by_the_production_storage(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "ssemap.storage.StaticStorage"},
    }
    # Only the project's own files: the admin's and the vendored ones do not import modules.
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=storages,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command(
            "collectstatic", interactive=False, verbosity=0, ignore_patterns=["vendor", "*.map"]
        )
    directory = next(tmp_path.glob("js/directory.*.js"))
    imports = re.findall(r'from "\./([^"]+)"', directory.read_text())
    assert imports and all(re.fullmatch(r"[a-z-]+\.[0-9a-f]{12}\.js", name) for name in imports)


def test_the_admin_says_ssemap_curation_and_signing_in_leads_to_the_queue(client, world):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=%2Fadmin%2Finitiatives%2Finitiative%2F"
    page = client.get(response["Location"]).content.decode()
    assert "ssemap — curation" in page
    User.objects.create_superuser("curator", "c@example.org", "a long pass phrase 42")
    signed_in = client.post(
        response["Location"],
        {
            "username": "curator",
            "password": "a long pass phrase 42",
            "next": "/admin/initiatives/initiative/",
        },
    )
    assert signed_in.status_code == 302
    queue = client.get(signed_in["Location"])
    assert queue.status_code == 200
    assert world.pending.name in queue.content.decode()
