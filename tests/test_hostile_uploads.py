"""Oversized bodies, too many fields, and files that are not the images they claim to be."""

import io
import struct
import zlib

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from initiatives.models import Initiative
from tests.factories import CommuneFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SUBMIT = "/initiatives/submit/"


@pytest.fixture
def visitor():
    """A browser-like client: CSRF enforced, errors answered rather than raised."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(SUBMIT)
    return client


@pytest.fixture
def form_data():
    cache.clear()  # the per-address rate limit lives in the cache
    commune = CommuneFactory(name="Villeneuve-Test", slug="villeneuve-test")
    theme = ThemeFactory()
    return {
        "name": "Atelier vélo",
        "summary": "Un atelier de réparation de vélos.",
        "themes": [theme.pk],
        "commune": str(commune),
        "commune_code": commune.code,
        "submitter_name": "Camille",
        "submitter_email": "camille@example.org",
        "consent": "on",
    }


def assert_clear_answer(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert "Traceback" not in html
    assert "RequestDataTooBig" not in html and "TooManyFields" not in html


def test_a_body_over_the_upload_limit_is_a_400_not_a_500(visitor, form_data):
    token = visitor.cookies["csrftoken"].value
    data = {**form_data, "description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = visitor.post(SUBMIT, {**data, "csrfmiddlewaretoken": token})
    assert_clear_answer(response, 400)
    assert not Initiative.objects.exists()


def test_thousands_of_fields_are_a_400_not_a_500(visitor, form_data):
    token = visitor.cookies["csrftoken"].value
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}
    response = visitor.post(SUBMIT, {**form_data, **fields, "csrfmiddlewaretoken": token})
    assert_clear_answer(response, 400)


def test_a_post_without_csrf_token_is_refused(visitor, form_data):
    response = visitor.post(SUBMIT, form_data)
    assert_clear_answer(response, 403)
    assert not Initiative.objects.exists()


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def image_error(client, upload, form_data):
    """The codes of the errors the form shows next to the image field."""
    response = client.post(SUBMIT, {**form_data, "image": upload})
    assert response.status_code == 200, response.status_code
    assert not Initiative.objects.exists()
    errors = response.context["form"].errors.as_data()
    assert "image" in errors, errors
    return [error.code for error in errors["image"]]


def test_a_text_file_named_like_a_photo_is_a_form_error(client, form_data):
    upload = SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")
    assert "invalid_image" in image_error(client, upload, form_data)


def test_an_svg_with_a_script_is_a_form_error(client, form_data):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    upload = SimpleUploadedFile("logo.png", svg, "image/png")
    assert "invalid_image" in image_error(client, upload, form_data)


def test_a_truncated_image_is_a_form_error(client, form_data):
    upload = SimpleUploadedFile("cut.png", png_bytes()[:60], "image/png")
    assert "invalid_image" in image_error(client, upload, form_data)


def test_a_gif_is_refused_with_its_format_named(client, form_data):
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, format="GIF")
    upload = SimpleUploadedFile("anim.gif", buffer.getvalue(), "image/gif")
    assert image_error(client, upload, form_data) == ["image_format"]


def decompression_bomb():
    """A tiny PNG whose header claims 30,000 × 30,000 pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_a_form_error(client, form_data):
    upload = SimpleUploadedFile("bomb.png", decompression_bomb(), "image/png")
    assert "too_many_pixels" in image_error(client, upload, form_data)


def test_an_image_over_the_size_limit_is_a_form_error(client, form_data, settings):
    settings.SUBMISSION_IMAGE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.png", png_bytes((300, 300)) + b"\0" * 2048, "image/png")
    assert "too_large" in image_error(client, upload, form_data)


def test_a_real_image_is_accepted_and_stored_re_encoded(client, form_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("photo.png", png_bytes(), "image/png")
    response = client.post(SUBMIT, {**form_data, "image": upload})
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.image.name.endswith(".png")
    assert "photo" not in initiative.image.name
