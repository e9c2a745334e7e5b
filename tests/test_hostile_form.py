"""Random and malicious values in every field of the public forms: a clear answer, never a 500,
never a stack trace, never a reflected script; nothing stored unless the form was valid."""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initiatives.models import Correction, Initiative, Status
from tests.factories import CommuneFactory, InitiativeFactory, LegalFormFactory, ThemeFactory
from tests.test_hostile_queries import PAYLOADS, SCRIPT

pytestmark = pytest.mark.django_db

TEXT_FIELDS = [
    "name",
    "summary",
    "description",
    "organisation",
    "address",
    "website",
    "contact_email",
    "contact_phone",
    "submitter_name",
    "submitter_email",
    "message",
    "commune",
    "commune_code",
]
NUMBER_FIELDS = ["latitude", "longitude", "year_started", "legal_form"]
CHOICE_FIELDS = ["themes", "practices", "low_tech_qualities"]
FLAG_FIELDS = ["low_tech", "consent", "homepage"]

numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "abc", "1e309", "-0", "48,85", "0x1F", " 12 ", "١٢"]),
)
texts = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=400))
values = {
    **dict.fromkeys(TEXT_FIELDS, texts),
    **dict.fromkeys(NUMBER_FIELDS, numbers),
    **{name: st.lists(st.one_of(numbers, texts), max_size=4) for name in CHOICE_FIELDS},
    **{name: st.sampled_from(["", "on", "1", "false", SCRIPT]) for name in FLAG_FIELDS},
}
form_data = st.fixed_dictionaries({}, optional=values)

FAST = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def form_world(db):
    commune = CommuneFactory(name="Formeville", slug="formeville")
    ThemeFactory()
    LegalFormFactory()
    return InitiativeFactory(slug="a-corriger", commune=commune)


def assert_clear(response, where):
    assert response.status_code in {200, 302, 400, 429}, (where, response.status_code)
    html = response.content.decode()
    assert "Traceback" not in html, where
    assert SCRIPT not in html, where
    assert "<img src=x onerror" not in html, where
    assert "<svg onload" not in html, where


@FAST
@given(data=form_data)
def test_random_values_in_the_submission_form(client, form_world, data):
    cache.clear()  # the rate limit would otherwise answer before the form is read
    before = Initiative.objects.count()
    response = client.post("/initiatives/submit/", data)
    assert_clear(response, data)
    if response.status_code != 302:
        assert Initiative.objects.count() == before
    else:
        # Accepted (or silently dropped as a bot): never published straight away.
        assert not Initiative.objects.exclude(pk=form_world.pk).filter(status=Status.PUBLISHED)


@FAST
@given(data=form_data)
def test_random_values_in_the_correction_form(client, form_world, data):
    cache.clear()
    published = Initiative.objects.values().get(pk=form_world.pk)
    response = client.post(f"/initiatives/{form_world.slug}/correct/", data)
    assert_clear(response, data)
    # A correction never changes the published initiative by itself.
    assert Initiative.objects.values().get(pk=form_world.pk) == published
    if response.status_code != 302:
        assert not Correction.objects.exists()


@pytest.mark.parametrize("path", ["/initiatives/submit/", "/initiatives/a-corriger/correct/"])
def test_a_nul_byte_in_the_hidden_commune_code_is_refused_with_a_reason(client, form_world, path):
    cache.clear()
    response = client.post(path, {"name": "x", "commune": "Formeville", "commune_code": "\x00"})
    assert response.status_code == 400
    assert "commune_code" in response.text
    assert not Initiative.objects.filter(name="x").exists()
