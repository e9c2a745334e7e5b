"""Control characters (NUL first) in any parameter of any public page: a clear 400 in the
visitor's language, never a 500 — one gate (ssemap.middleware.ControlCharactersMiddleware)."""

from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CommuneFactory, InitiativeFactory, LeverFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SLUGS = {
    "initiatives": "epicerie-nul",
    "contributions": "epicerie-nul",
    "levers": "levier-nul",
    "territories": "nul-ville",
}
FREE_TEXT = ["q", "near", "name", "commune", "territory", "theme", "bbox", "sort", "page", "zoom"]
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85"]


def public_get_paths():
    """Every route of the URLconf but the admin's and the media's, slugs filled in."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if "<path:" in route or route.startswith("i18n/"):
                    continue
                yield "/" + route.replace("<slug:slug>", SLUGS.get(namespace, "x"))

    return sorted(set(walk(get_resolver().url_patterns)))


PATHS = public_get_paths()


@pytest.fixture
def published(db):
    theme = ThemeFactory(slug="alimentation-nul")
    commune = CommuneFactory(slug="nul-ville", name="Nul-Ville")
    LeverFactory(slug="levier-nul")
    InitiativeFactory(slug="epicerie-nul", name="Épicerie", commune=commune, themes=[theme])


def hostile_text():
    """Any text with at least one control character somewhere in it."""
    return st.tuples(st.text(max_size=20), st.sampled_from(CONTROLS), st.text(max_size=20)).map(
        "".join
    )


def test_every_public_route_is_covered():
    assert "/territories/" in PATHS
    assert "/api/communes/" in PATHS
    assert "/api/duplicates/" in PATHS
    assert "/initiatives/epicerie-nul/" in PATHS
    assert len(PATHS) >= 15


def test_a_nul_byte_in_the_territory_search_is_a_clear_400(client, published):
    response = client.get("/territories/", QUERY_STRING="q=%00")
    assert response.status_code == 400
    assert "« q »" in response.content.decode() or "“q”" in response.content.decode()
    assert "caractère de contrôle" in response.content.decode()


def test_the_refusal_speaks_english_under_en(client, published):
    response = client.get("/en/territories/", QUERY_STRING="q=Lyon%00")
    assert response.status_code == 400
    assert "control character" in response.content.decode()


def test_the_json_endpoints_answer_json_reasons(client, published):
    for path in ("/api/communes/", "/api/duplicates/", "/en/api/communes/"):
        response = client.get(path, QUERY_STRING="q=Ly%00on&name=a%00&commune=69123")
        assert response.status_code == 400, path
        assert response.json()["errors"], path


def test_a_form_post_with_a_nul_byte_is_refused_and_nothing_stored(client, published):
    from initiatives.models import Initiative

    before = Initiative.objects.count()
    response = client.post("/initiatives/submit/", {"name": "Caf\x00é", "submitter_name": "x"})
    assert response.status_code == 400
    assert Initiative.objects.count() == before


def test_ordinary_text_with_tabs_and_line_breaks_passes(client, published):
    assert client.get("/territories/", {"q": "Nul\tVille\n"}).status_code == 200


@settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(PATHS),
    name=st.one_of(st.sampled_from(FREE_TEXT), hostile_text()),
    value=st.one_of(hostile_text(), st.text(max_size=30)),
    other=st.sampled_from(FREE_TEXT),
)
def test_control_characters_in_any_parameter_of_any_public_page_are_a_400(
    client, published, path, name, value, other
):
    query = urlencode([(name, value), (other, "Lyon")])
    response = client.get(path, QUERY_STRING=query)
    hostile = any(c in name + value for c in CONTROLS) or any(
        ord(c) < 32 and c not in "\t\n\r" or 0x7F <= ord(c) <= 0x9F for c in name + value
    )
    assert response.status_code < 500, (path, query)
    if hostile:
        assert response.status_code == 400, (path, query)
