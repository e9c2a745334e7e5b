"""What a hostile submitter can send: decompression bombs, metadata smuggled in images, markup in
addresses. Each is refused (or removed) with a clear form error, before it costs the server."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from initiatives.models import Initiative
from tests.factories import CommuneFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SUBMIT = "/initiatives/submit/"


@pytest.fixture
def form_data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    commune = CommuneFactory(name="Villeneuve-Test", slug="villeneuve-test")
    return {
        "name": "Atelier vélo",
        "summary": "Un atelier de réparation de vélos.",
        "themes": [ThemeFactory().pk],
        "commune": str(commune),
        "commune_code": commune.code,
        "submitter_name": "Camille",
        "submitter_email": "camille@example.org",
        "consent": "on",
    }


def png_declaring(width, height):
    """A real, valid grey PNG of ``width`` × ``height`` pixels: all black, so it compresses to
    a few hundred kilobytes, and decodes to ``width * height`` bytes."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + pixels
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def field_errors(client, data, path=SUBMIT):
    response = client.post(path, data)
    assert response.status_code == 200, response.status_code
    assert not Initiative.objects.exists()
    return response, response.context["form"].errors.as_data()


def test_a_png_declaring_12000_by_12000_pixels_is_refused_by_its_size(client, form_data):
    bomb = png_declaring(12_000, 12_000)
    assert len(bomb) < 1_000_000
    upload = SimpleUploadedFile("bomb.png", bomb, "image/png")
    response, errors = field_errors(client, {**form_data, "image": upload}, "/en" + SUBMIT)
    assert [e.code for e in errors["image"]] == ["too_many_pixels"]
    assert "12000 × 12000 pixels" in response.text
    assert "40 megapixels" in response.text


def test_the_pixel_limit_is_explained_in_french(client, form_data):
    upload = SimpleUploadedFile("bomb.png", png_declaring(9_000, 9_000), "image/png")
    response, errors = field_errors(client, {**form_data, "image": upload})
    assert "mégapixels" in response.text


def image_upload(format, **save_args):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=format, **save_args)
    return SimpleUploadedFile(f"photo.{format.lower()}", buffer.getvalue(), f"image/{format}")


def stored_image():
    initiative = Initiative.objects.get()
    with initiative.image.open("rb") as stored:
        return stored.read()


def test_a_jpeg_comment_is_not_kept(client, form_data):
    upload = image_upload("JPEG", comment=b"my home is 3 rue Secrete")
    assert client.post(SUBMIT, {**form_data, "image": upload}).status_code == 302
    content = stored_image()
    assert b"rue Secrete" not in content
    assert "comment" not in Image.open(io.BytesIO(content)).info


def test_a_png_icc_profile_is_not_kept(client, form_data):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = image_upload("PNG", icc_profile=profile)
    assert client.post(SUBMIT, {**form_data, "image": upload}).status_code == 302
    assert "icc_profile" not in Image.open(io.BytesIO(stored_image())).info


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("website", "https://example.org/<script>alert(1)</script>"),
        ("website", 'https://example.org/"onmouseover="alert(1)'),
        ("website", "https://example.org/{{7*7}}"),
        ("contact_email", '"<img src=x onerror=alert(1)>"@example.org'),
        ("submitter_email", '"<b>hi</b>"@example.org'),
        ("submitter_email", "'quoted'@example.org"),
    ],
)
def test_addresses_carrying_markup_are_refused(client, form_data, field, value):
    _, errors = field_errors(client, {**form_data, field: value})
    assert field in errors, errors
    assert "markup" in [e.code for e in errors[field]] or field == "website"


def test_ordinary_addresses_are_accepted(client, form_data):
    data = {
        **form_data,
        "website": "https://example.org/ateliers?ville=lyon&page=2#horaires",
        "contact_email": "contact+velo@example.org",
    }
    assert client.post(SUBMIT, data).status_code == 302


def test_an_unwritable_media_folder_is_a_clear_form_error_and_keeps_the_input(
    client, form_data, settings, tmp_path, django_capture_on_commit_callbacks
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"  # every write fails with a real OS error
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(SUBMIT, {**form_data, "image": image_upload("PNG")})
    assert response.status_code == 503
    assert "nothing was sent yet" in response.context["form"].errors["image"][0] or (
        "rien n’a encore été envoyé" in response.context["form"].errors["image"][0]
    )
    assert 'value="Atelier vélo"' in response.text  # what was typed is still there
    assert not Initiative.objects.exists()  # no half-stored submission
    assert callbacks == []  # nobody is told about it
