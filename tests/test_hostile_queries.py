"""Random and malicious query strings at every public GET endpoint: never a 500, never a stack
trace, never a reflected script."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CommuneFactory, InitiativeFactory, LeverFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PATHS = [
    "/",
    "/en/",
    "/initiatives/",
    "/en/initiatives/",
    "/initiatives/epicerie-hostile/",
    "/initiatives/epicerie-hostile/correct/",
    "/initiatives/submit/thanks/",
    "/territories/",
    "/territories/hostile-ville/",
    "/levers/",
    "/levers/levier-hostile/",
    "/api/initiatives.geojson",
    "/initiatives/export.csv",
    "/initiatives/export.geojson",
    "/about/",
    "/initiatives/submit/",
    "/api/communes/",
    "/api/duplicates/",
    "/healthz",
]
PARAMETERS = [
    "q",
    "theme",
    "practice",
    "lever",
    "legal_form",
    "size_class",
    "low_tech",
    "territory",
    "bbox",
    "sort",
    "page",
    "zoom",
    "near",
    "name",
    "commune",
    "format",
    "lang",
]
SCRIPT = "<script>alert('xss')</script>"
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "' OR 1=1 --",
    "1; DROP TABLE initiatives_initiative; --",
    "%00",
    "\x00",
    "../../../../etc/passwd",
    "{{ settings.SECRET_KEY }}",
    "${jndi:ldap://127.0.0.1/a}",
    "abc",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999999",
    "-181,-91,181,91",
    "1,2,3",
    "2.3,48.8,2.4,48.9",
    "nan,nan,nan,nan",
    ",,,",
    "é" * 300,
    "x" * 5000,
    "🙂",
    "\u202e\u200b",
    "hostile-ville",
    "alimentation-hostile",
]

values = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=60))
names = st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=12))
query_pairs = st.lists(st.tuples(names, values), max_size=6)
# Raw query strings, not necessarily valid percent-encoding or UTF-8.
raw_queries = st.text(
    alphabet=st.sampled_from(list("abcq=&%;+,.-_/<>'\"()!0123456789ZzC3A9FF")), max_size=80
)

FAST = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def published_data(db):
    theme = ThemeFactory(slug="alimentation-hostile")
    commune = CommuneFactory(slug="hostile-ville", name="Hostile-Ville")
    LeverFactory(slug="levier-hostile")
    InitiativeFactory(slug="epicerie-hostile", name="Épicerie", commune=commune, themes=[theme])
    InitiativeFactory.create_batch(3, commune=commune, themes=[theme])


def assert_safe(response, path, query):
    where = f"{path}?{query}"
    assert response.status_code < 500, where
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    text = body.decode("utf-8", errors="replace")
    assert "Traceback" not in text, where
    assert 'id="traceback"' not in text, where
    content_type = response.headers.get("Content-Type", "")
    if content_type.startswith("text/html"):
        # Whatever is echoed back (search box, error message) is escaped.
        assert SCRIPT not in text, where
        assert "<img src=x onerror" not in text, where
        assert "<svg onload" not in text, where


@FAST
@given(path=st.sampled_from(PATHS), pairs=query_pairs)
def test_random_query_parameters_never_break_a_page(client, published_data, path, pairs):
    query = urlencode(pairs)
    response = client.get(path, QUERY_STRING=query)
    assert_safe(response, path, query)


@FAST
@given(path=st.sampled_from(PATHS), query=raw_queries)
def test_malformed_query_strings_never_break_a_page(client, published_data, path, query):
    response = client.get(path, QUERY_STRING=query)
    assert_safe(response, path, query)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_every_parameter_carrying_a_script_at_once(client, published_data, path, payload):
    query = urlencode([(name, payload) for name in PARAMETERS])
    assert_safe(client.get(path, QUERY_STRING=query), path, query)


def test_the_search_box_echoes_a_script_as_text(client, published_data):
    response = client.get("/initiatives/", {"q": SCRIPT})
    assert response.status_code == 200
    text = response.content.decode()
    assert SCRIPT not in text
    assert "&lt;script&gt;" in text


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/initiatives/", "bbox=abc"),
        ("/initiatives/", "page=-1"),
        ("/initiatives/", "page=999999"),
        ("/initiatives/", "theme=no-such-theme"),
        ("/api/initiatives.geojson", "bbox=1,2,3"),
        ("/api/initiatives.geojson", "zoom=99"),
        ("/initiatives/export.csv", "territory=%ZZ"),
        ("/api/communes/", "q=%C3%28"),
        ("/api/duplicates/", "name=%00&commune=%FF"),
    ],
)
def test_known_malformed_parameters_get_a_clear_answer(client, published_data, path, query):
    response = client.get(path, QUERY_STRING=query)
    assert_safe(response, path, query)
    assert response.status_code in {200, 400}
