"""Hostile text in the admin's search, list filters, date drill-down and autocomplete: never a 500."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import InitiativeFactory, PendingInitiativeFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["\x00", "a\x00b", "%", "'--", "\ud800", "x" * 5000, "٣", "-1", "1e999", "[]"]
CHANGELISTS = [
    "initiatives/initiative",
    "initiatives/correction",
    "initiatives/statuschange",
    "initiatives/theme",
    "initiatives/actionlever",
    "initiatives/territorylever",
    "territories/territory",
    "territories/programme",
]
PARAMETERS = {
    "initiatives/initiative": [
        "q",
        "status",
        "region",
        "size_class",
        "themes__id__exact",
        "source__exact",
        "low_tech__exact",
        "created_at__year",
        "created_at__month",
        "o",
        "p",
    ],
    "initiatives/correction": ["q", "status", "o", "p"],
    "initiatives/statuschange": ["q", "to_status__exact", "at__year", "at__day"],
}


@pytest.fixture
def curator_client(client, django_user_model):
    call_command("create_curator", "alice", email="a@example.org", password="Curat0r-pass-2026")
    client.force_login(django_user_model.objects.get(username="alice"))
    InitiativeFactory(), PendingInitiativeFactory()
    return client


def quoted(value):
    return value.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("model", CHANGELISTS)
def test_hostile_text_in_any_changelist_parameter_is_not_a_server_error(curator_client, model):
    for name in PARAMETERS.get(model, ["q", "o", "p"]):
        for value in HOSTILE:
            response = curator_client.get(f"/admin/{model}/", {name: quoted(value)})
            assert response.status_code in (200, 302, 400), (name, value, response.status_code)


@pytest.mark.parametrize(
    "field", [("initiatives", "initiative", "commune"), ("initiatives", "initiative", "legal_form")]
)
def test_hostile_text_in_the_autocomplete_is_not_a_server_error(curator_client, field):
    app_label, model_name, field_name = field
    url = reverse("admin:autocomplete")
    for value in HOSTILE:
        response = curator_client.get(
            url,
            {
                "term": quoted(value),
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "page": "1",
            },
        )
        assert response.status_code in (200, 400, 403), (value, response.status_code)
    for name in ("app_label", "model_name", "field_name", "page"):
        response = curator_client.get(url, {name: quoted("\x00"), "term": "a"})
        assert response.status_code in (200, 400, 403, 404), (name, response.status_code)


def test_a_nul_byte_is_refused_with_a_reason_in_the_curators_language(curator_client):
    french = curator_client.get("/admin/initiatives/initiative/?q=%00")
    assert french.status_code == 400
    assert "caractère de contrôle" in french.text
    english = curator_client.get("/en/admin/initiatives/initiative/?status=%00")
    assert english.status_code == 400
    assert "control character" in english.text


def test_a_filter_value_that_is_not_one_of_its_choices_is_the_invalid_filter_page(curator_client):
    response = curator_client.get("/admin/initiatives/initiative/?region=%25", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith("?e=1")
