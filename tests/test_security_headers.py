"""Every page is served with a strict Content-Security-Policy and the other protective headers."""

import pytest

from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.fixture
def pages():
    initiative = InitiativeFactory()
    return ["/", "/en/", "/initiatives/", initiative.get_absolute_url(), "/admin/login/"]


def test_scripts_run_only_from_the_site_or_with_a_nonce(client, pages):
    for url in pages:
        csp = directives(client.get(url))
        assert "'self'" in csp["script-src"], url
        assert "'unsafe-inline'" not in csp["script-src"], url
        assert "'unsafe-eval'" not in csp["script-src"], url
        assert "'unsafe-inline'" not in csp["style-src"], url
        assert csp["default-src"] == ["'self'"], url
        assert csp["object-src"] == ["'none'"], url
        assert csp["base-uri"] == ["'self'"], url
        assert csp["form-action"] == ["'self'"], url


def test_no_page_can_be_framed(client, pages):
    for url in pages:
        response = client.get(url)
        assert directives(response)["frame-ancestors"] == ["'none'"], url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_inline_scripts_on_pages_carry_the_response_nonce(client, pages):
    for url in pages:
        response = client.get(url)
        # Django adds the nonce to the header only when the page used it.
        nonces = [s[7:-1] for s in directives(response)["script-src"] if s.startswith("'nonce-")]
        html = response.content.decode()
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            # Data blocks (JSON, JSON-LD) are never run: script-src does not apply to them.
            data_block = 'type="application/json"' in tag or 'type="application/ld+json"' in tag
            if "src=" not in tag and not data_block:
                assert nonces, (url, tag)
                assert f'nonce="{nonces[0]}"' in tag, (url, tag)


def test_protective_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response.headers["Permissions-Policy"]
    assert "camera=()" in policy
    assert "microphone=()" in policy


def test_map_tiles_are_the_only_outside_images(client):
    csp = directives(client.get("/"))
    assert csp["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert csp["connect-src"] == ["'self'"]
