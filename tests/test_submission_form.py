"""The public submission form: what it stores, what it refuses, and who it tells."""

import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from initiatives.models import Initiative, Source, Status
from tests.factories import CommuneFactory, InitiativeFactory

pytestmark = pytest.mark.django_db

SUBMIT_URL = "/initiatives/submit/"


@pytest.fixture(autouse=True)
def fresh_rate_limit(settings, tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path
    settings.CURATOR_EMAILS = ["curators@example.org"]
    yield
    cache.clear()


@pytest.fixture
def data(commune, theme):
    return {
        "name": "Repair café du Cap",
        "summary": "Un atelier de réparation ouvert à toutes et tous.",
        "description": "Chaque samedi, des bénévoles aident à réparer.",
        "organisation": "Les Bricoleurs du Cap",
        "themes": [theme.pk],
        "commune": "Plouhinec (29)",
        "commune_code": "29197",
        "address": "1 rue du Port",
        "latitude": "48.02",
        "longitude": "-4.49",
        "website": "https://repair.example.org",
        "contact_email": "contact@repair.example.org",
        "contact_phone": "+33 2 98 00 00 00",
        "year_started": "2019",
        "submitter_name": "Camille Martin",
        "submitter_email": "camille@example.org",
        "consent": "on",
    }


def submit(client, data, **extra):
    return client.post(SUBMIT_URL, data, **extra)


def errors_of(response):
    return response.context["form"].errors


def png_bytes(size=(40, 30), format="PNG", exif=False):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        info = Image.Exif()
        info[0x010F] = "SecretCam"  # Make
        kwargs["exif"] = info
    image.save(out, format=format, **kwargs)
    return out.getvalue()


def upload(content, name, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_form_page_shows_every_field(client, data):
    response = client.get(SUBMIT_URL)
    assert response.status_code == 200
    for field in ("id_name", "id_commune", "id_latitude", "id_submitter_email", "id_consent"):
        assert f'id="{field}"' in response.text
    assert "csrfmiddlewaretoken" in response.text


def test_the_form_is_in_english_under_en(client):
    response = client.get("/en" + SUBMIT_URL)
    assert "Submit an initiative" in response.text


def test_valid_submission_is_stored_as_pending_and_confirmed(client, data, commune, theme):
    response = submit(client, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("contributions:submit_done")
    initiative = Initiative.objects.get()
    assert initiative.status == Status.PENDING
    assert initiative.source == Source.SUBMISSION
    assert initiative.published_at is None
    assert initiative.commune == commune
    assert list(initiative.themes.all()) == [theme]
    assert (initiative.latitude, initiative.longitude) == (48.02, -4.49)
    assert initiative.submitter_name == "Camille Martin"
    assert initiative.submitter_email == "camille@example.org"
    confirmation = client.get(response["Location"])
    assert "La suite" in confirmation.text


def test_confirmation_page_says_what_happens_next(client):
    response = client.get("/en/initiatives/submit/thanks/")
    assert "What happens next" in response.text
    assert "never published" in response.text


def test_submission_stays_invisible_on_every_public_page(client, data):
    published = InitiativeFactory(name="Épicerie publiée témoin")
    submit(client, data)
    pending = Initiative.objects.get(status=Status.PENDING)

    pages = {
        "list": client.get("/initiatives/"),
        "map": client.get("/api/initiatives.geojson?zoom=18"),
        "export": client.get("/initiatives/export.csv"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        assert published.name in text, name  # the page does list published initiatives
        assert pending.name not in text, name
        assert "camille@example.org" not in text, name
    assert client.get(f"/initiatives/{pending.slug}/").status_code == 404


def test_curators_and_submitter_are_emailed(
    client, data, django_user_model, django_capture_on_commit_callbacks
):
    from curation.permissions import ensure_curator_group

    curator = django_user_model.objects.create_user("alice", "alice@example.org", "x")
    curator.groups.add(ensure_curator_group())
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, data)

    assert len(mail.outbox) == 2
    to_curators, to_submitter = mail.outbox
    assert set(to_curators.to) == {"alice@example.org", "curators@example.org"}
    assert "Repair café du Cap" in to_curators.subject
    assert "/admin/initiatives/initiative/" in to_curators.body
    assert to_submitter.to == ["camille@example.org"]
    # The address is not verified: nothing the submitter typed is sent to it (issue 10).
    for typed in ("Repair café du Cap", "Camille Martin", "Les Bricoleurs du Cap"):
        assert typed not in to_submitter.subject + to_submitter.body


def test_acknowledgement_is_in_the_submitters_language(
    client, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + SUBMIT_URL, data)
    ack = mail.outbox[-1]
    assert ack.to == ["camille@example.org"]
    assert "Thank you" in ack.body


def test_no_email_when_the_form_is_invalid(client, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, {**data, "name": ""})
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "required"),
        ("name", "x" * 151, "at most 150"),
        ("summary", "x" * 301, "at most 300"),
        ("description", "x" * 5001, "at most 5000"),
        ("website", "not a url", "valid URL"),
        ("contact_email", "nobody@", "valid email"),
        ("contact_phone", "call me maybe", "phone number"),
        ("year_started", "1700", "greater than or equal to 1800"),
        ("year_started", "2999", "less than or equal to"),
        ("submitter_email", "", "required"),
        ("submitter_email", "camille", "valid email"),
        ("submitter_name", "", "required"),
        ("themes", "", "at least one theme"),
        ("consent", "", "Tick this box"),
        ("commune", "", "Choose the commune"),
        ("commune", "Atlantis", "No commune found"),
        ("latitude", "north", "Enter a number"),
        ("latitude", "95", "less than or equal to 90"),
    ],
)
def test_each_invalid_field_gets_a_clear_message_and_keeps_the_input(
    client, data, field, value, message
):
    data = {**data, field: value}
    if field == "commune":
        data["commune_code"] = ""
    if field == "themes":
        del data["themes"]
    response = client.post("/en" + SUBMIT_URL, data)

    assert response.status_code == 200
    errors = errors_of(response)
    assert message in " ".join(errors[field]), errors
    assert Initiative.objects.count() == 0
    # What was typed is still there.
    assert 'value="Les Bricoleurs du Cap"' in response.text
    assert f'id="{response.context["form"][field].auto_id}_error"' in response.text


def test_error_messages_are_in_french_by_default(client, data):
    response = submit(client, {**data, "name": ""})
    assert "Ce champ est obligatoire." in errors_of(response)["name"]


def test_point_far_from_the_commune_is_refused(client, data):
    response = client.post("/en" + SUBMIT_URL, {**data, "latitude": "43.6", "longitude": "1.44"})
    assert "more than 20 km from the centre of Plouhinec (29)" in errors_of(response)["latitude"][0]


def test_coordinates_default_to_the_commune_centre(client, data, commune):
    submit(client, {**data, "latitude": "", "longitude": ""})
    initiative = Initiative.objects.get()
    assert (initiative.latitude, initiative.longitude) == (commune.latitude, commune.longitude)


def test_only_one_coordinate_is_refused(client, data):
    response = client.post("/en" + SUBMIT_URL, {**data, "longitude": ""})
    assert "both the latitude and the longitude" in errors_of(response)["longitude"][0]


def test_html_is_stripped_from_text(client, data):
    submit(
        client,
        {
            **data,
            "name": "<b>Repair</b> café",
            "summary": "Bonjour <script>alert(1)</script>le monde",
            "description": '<p onclick="x()">Un <a href="http://evil">lien</a></p>',
        },
    )
    initiative = Initiative.objects.get()
    assert initiative.name == "Repair café"
    assert "<" not in initiative.summary and "<" not in initiative.description
    assert initiative.description == "Un lien"


def test_a_name_made_only_of_html_is_refused(client, data):
    response = client.post("/en" + SUBMIT_URL, {**data, "name": "<b></b>"})
    assert "only HTML" in errors_of(response)["name"][0]


def test_low_tech_qualities_imply_low_tech(client, data):
    from initiatives.models import LowTechQuality

    quality = LowTechQuality.objects.create(slug="frugal", name_fr="Sobre", name_en="Frugal")
    submit(client, {**data, "low_tech_qualities": [quality.pk]})
    assert Initiative.objects.get().low_tech is True


class TestCommuneField:
    def test_insee_code_without_javascript(self, client, data, commune):
        submit(client, {**data, "commune": "29197", "commune_code": ""})
        assert Initiative.objects.get().commune == commune

    def test_postcode_without_javascript(self, client, data, commune):
        submit(client, {**data, "commune": "29780", "commune_code": ""})
        assert Initiative.objects.get().commune == commune

    def test_homonyms_need_the_department(self, client, data, commune):
        CommuneFactory(name="Plouhinec", code="56169", epci__department__code="56")
        response = client.post(
            "/en" + SUBMIT_URL, {**data, "commune": "plouhinec", "commune_code": ""}
        )
        error = errors_of(response)["commune"][0]
        assert "Several communes are called plouhinec" in error
        assert "Plouhinec (29)" in error and "Plouhinec (56)" in error

    def test_name_and_department_tell_homonyms_apart(self, client, data, commune):
        CommuneFactory(name="Plouhinec", code="56169", epci__department__code="56")
        submit(client, {**data, "commune": "Plouhinec (29)", "commune_code": ""})
        assert Initiative.objects.get().commune == commune

    def test_hidden_code_must_match_the_text(self, client, data, commune):
        other = CommuneFactory(name="Audierne", code="29003", epci__department=commune.department)
        # The person changed the text after choosing: the text wins.
        submit(
            client,
            {
                **data,
                "commune": "Audierne (29)",
                "commune_code": "29197",
                "latitude": "",
                "longitude": "",
            },
        )
        assert Initiative.objects.get().commune == other


class TestImage:
    def test_png_is_accepted_and_reencoded_without_metadata(self, client, data):
        jpeg = png_bytes(format="JPEG", exif=True)
        assert b"SecretCam" in jpeg
        submit(client, {**data, "image": upload(jpeg, "photo.jpg", "image/jpeg")})

        initiative = Initiative.objects.get()
        stored = initiative.image.read()
        assert b"SecretCam" not in stored
        assert not initiative.image.name.endswith("photo.jpg")  # no client file name kept
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == "JPEG"
            assert not image.getexif()

    def test_other_image_types_are_refused(self, client, data):
        gif = png_bytes(format="GIF")
        response = client.post(
            "/en" + SUBMIT_URL, {**data, "image": upload(gif, "a.gif", "image/gif")}
        )
        assert "JPEG, PNG or WebP" in errors_of(response)["image"][0]

    def test_a_file_that_is_not_an_image_is_refused(self, client, data):
        fake = upload(b"%PDF-1.4 not an image", "a.png", "image/png")
        response = client.post("/en" + SUBMIT_URL, {**data, "image": fake})
        assert "not an image we can read" in errors_of(response)["image"][0]

    def test_too_large_images_are_refused(self, client, data, settings):
        settings.SUBMISSION_IMAGE_MAX_BYTES = 1024 * 1024
        big = upload(b"\x89PNG" + b"0" * (1024 * 1024 + 10), "big.png", "image/png")
        response = client.post("/en" + SUBMIT_URL, {**data, "image": big})
        assert "too large" in errors_of(response)["image"][0]


class TestProtection:
    def test_honeypot_pretends_success_and_stores_nothing(
        self, client, data, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(client, {**data, "homepage": "http://spam.example"})
        assert response.status_code == 302
        assert Initiative.objects.count() == 0
        assert mail.outbox == []

    def test_honeypot_is_hidden_from_people_and_screen_readers(self, client):
        response = client.get(SUBMIT_URL)
        assert '<div class="field hp" aria-hidden="true">' in response.text
        assert 'tabindex="-1"' in response.text

    def test_rate_limit_per_address_with_a_clear_message(self, client, data, settings):
        settings.SUBMISSION_RATE_LIMIT = 2
        for n in range(2):
            assert submit(client, {**data, "name": f"Initiative {n}"}).status_code == 302
        response = client.post("/en" + SUBMIT_URL, {**data, "name": "One too many"})

        assert response.status_code == 429
        assert "wait an hour" in response.text
        assert 'value="One too many"' in response.text  # nothing typed is lost
        assert Initiative.objects.count() == 2
        # Another address is not affected.
        assert submit(client, {**data, "name": "Other"}, REMOTE_ADDR="10.0.0.9").status_code == 302

    def test_invalid_attempts_count_against_the_limit(self, client, data, settings):
        # Each costs the server work (an image to check, a commune to resolve): issue 10.
        settings.SUBMISSION_RATE_LIMIT = 1
        submit(client, {**data, "name": ""})
        assert submit(client, data).status_code == 429

    def test_csrf_is_enforced(self, data):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post(SUBMIT_URL, data)
        assert response.status_code == 403
        assert Initiative.objects.count() == 0
