"""The partners' write API: tokens, pending submissions through the public form's checks,
duplicates, the status of what one sent, and nothing public before a curator publishes it."""

import pytest
from django.core import mail
from django.test import override_settings

from curation.moderation import transition
from initiatives.models import Initiative, Source, Status
from opendata.models import Partner, PartnerSubmission, PartnerToken
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/initiatives/"


@pytest.fixture(autouse=True)
def curators(settings):
    settings.CURATOR_EMAILS = ["curators@example.org"]


@pytest.fixture
def partner():
    return Partner.objects.create(name="Réseau ESS Bretagne", contact_email="api@ress.example")


@pytest.fixture
def token(partner):
    return PartnerToken.issue(partner, "tests")[1]


@pytest.fixture
def initiative(commune, theme):
    return {
        "name": "Repair café du Cap",
        "summary": "Un atelier de réparation ouvert à toutes et tous.",
        "themes": ["solidarite"],
        "commune": "29197",
        "latitude": 48.02,
        "longitude": -4.49,
        "website": "https://repair.example.org",
        "low_tech": True,
    }


def send(client, data, token=None, **extra):
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(API, data, content_type="application/json", **extra)


def status_of(client, url, token):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_is_stored_hashed_and_shown_only_when_issued(partner):
    row, text = PartnerToken.issue(partner)
    assert text.startswith(f"ssemap_{row.lookup}_")
    secret = text.removeprefix(f"ssemap_{row.lookup}_")  # it may hold "_" itself
    assert secret not in row.secret_hash and row.secret_hash != secret
    assert PartnerToken.authenticate(text) == row
    assert PartnerToken.authenticate(text + "x") is None
    row.revoke()
    assert PartnerToken.authenticate(text) is None


def test_sending_needs_a_valid_token(client, initiative, token, partner):
    anonymous = send(client, initiative, HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert "token" in anonymous.json()["detail"]
    assert send(client, initiative, "ssemap_00000000_nope").status_code == 401
    PartnerToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert send(client, initiative, token).status_code == 401
    assert not Initiative.objects.exists()


def test_an_inactive_partners_tokens_are_refused(client, initiative, token, partner):
    partner.is_active = False
    partner.save()
    assert send(client, initiative, token).status_code == 401


def test_a_sent_initiative_is_pending_and_never_public_until_a_curator_publishes_it(
    client, initiative, token, partner, theme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, initiative, token)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["url"] is None
    assert response["Location"] == body["status_url"]
    stored = Initiative.objects.get()
    assert stored.status == Status.PENDING
    assert list(stored.themes.all()) == [theme] and stored.low_tech
    assert stored.submitter_email == partner.contact_email
    assert (stored.source, stored.source_name) == (Source.PARTNER, partner.name)
    link = PartnerSubmission.objects.get()
    assert (link.partner, link.initiative, link.pk) == (partner, stored, body["id"])
    assert [m.to for m in mail.outbox] == [["curators@example.org"]]

    # Through the API, nothing of it shows before a curator publishes it.
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}{stored.slug}/").status_code == 404
    assert client.get(API, {"q": "Repair"}).json()["results"] == []
    assert status_of(client, body["status_url"], token).json()["status"] == "pending"

    transition(stored, Status.PUBLISHED, by=None)
    listed = client.get(API).json()["results"]
    assert [row["name"] for row in listed] == ["Repair café du Cap"]
    assert client.get(f"{API}{stored.slug}/").status_code == 200
    status = status_of(client, body["status_url"], token).json()
    assert status["status"] == "published"
    assert status["url"].endswith(stored.get_absolute_url())


def test_the_public_forms_checks_refuse_with_reasons(client, initiative, token):
    bad = {
        **initiative,
        "name": "<b></b>",
        "themes": ["nope"],
        "latitude": 43.3,  # Marseille: far from Plouhinec
        "longitude": 5.4,
        "colour": "blue",
    }
    response = send(client, bad, token, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["name"] == ["This field cannot be only HTML or spaces."]
    assert errors["themes"] == ["Unknown value: “nope”."]
    assert "more than 20 km from the centre of Plouhinec" in errors["latitude"][0]
    assert errors["colour"] == ["Unknown field."]
    assert not Initiative.objects.exists()


def test_errors_are_in_the_senders_language(client, initiative, token):
    response = send(client, {**initiative, "commune": ""}, token)
    assert response.json()["errors"]["commune"] == ["Choisissez la commune."]


@pytest.mark.parametrize(
    "body",
    [[1, 2], "text", {"name": {"nested": 1}}, {"themes": [{"slug": "x"}]}],
    ids=["list", "text", "object-value", "object-in-list"],
)
def test_a_body_of_the_wrong_shape_is_a_400(client, token, body, commune, theme):
    response = send(client, body, token)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_a_body_that_is_not_json_is_a_400(client, token):
    response = client.post(
        API, "{nope", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"]


def test_duplicates_of_published_initiatives_are_reported(client, initiative, token, commune):
    InitiativeFactory(name="Repair café du Cap Sizun", commune=commune)
    response = send(client, initiative, token)
    assert response.status_code == 201
    duplicates = response.json()["possible_duplicates"]
    assert [d["name"] for d in duplicates] == ["Repair café du Cap Sizun"]


def test_sending_the_same_again_is_a_409_pointing_to_the_first(client, initiative, token):
    first = send(client, initiative, token).json()
    again = send(client, {**initiative, "name": "Repair Café du Cap"}, token)
    assert again.status_code == 409
    assert again.json()["status_url"] == first["status_url"]
    assert Initiative.objects.count() == 1


def test_a_partner_sees_only_its_own_submissions(client, initiative, token):
    body = send(client, initiative, token).json()
    other = Partner.objects.create(name="Autre réseau", contact_email="x@example.org")
    other_token = PartnerToken.issue(other)[1]
    assert status_of(client, body["status_url"], other_token).status_code == 404
    assert client.get(body["status_url"]).status_code == 401
    own = status_of(client, "/api/v1/submissions/", token).json()
    assert [s["id"] for s in own] == [body["id"]]
    assert status_of(client, "/api/v1/submissions/", other_token).json() == []


@override_settings(API_WRITE_RATE_LIMIT=2)
def test_writes_are_limited_per_token(client, initiative, token):
    for _ in range(2):
        send(client, {"name": "x"}, token)
    response = send(client, initiative, token)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Initiative.objects.exists()


def test_an_administrator_issues_a_token_shown_once_and_revokes_it(admin_client, partner):
    response = admin_client.post(
        "/admin/opendata/partnertoken/add/", {"partner": partner.pk, "label": "sync"}, follow=True
    )
    token = PartnerToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    text = next(m for m in shown if "ssemap_" in m).split(": ")[1].split(" ")[0]
    assert PartnerToken.authenticate(text) == token
    later = admin_client.get(f"/admin/opendata/partnertoken/{token.pk}/change/")
    assert text not in later.content.decode()
    admin_client.post(
        "/admin/opendata/partnertoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert PartnerToken.authenticate(text) is None


def test_a_nul_character_or_markup_in_a_field_is_refused_or_removed(client, initiative, token):
    response = send(client, {**initiative, "name": "Repair\x00café"}, token)
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    stored = send(client, {**initiative, "summary": "Un <script>x</script>atelier"}, token)
    assert stored.status_code == 201
    assert "<" not in Initiative.objects.get().summary


def test_a_body_too_large_is_refused_before_it_is_read(client, initiative, token):
    response = send(client, {**initiative, "description": "x" * 70_000}, token)
    assert response.status_code == 413
    assert response.json()["errors"]["__all__"]


def test_the_documented_example_is_accepted_on_the_real_reference_data(
    client, reference_data, commune, token
):
    from opendata.partners import EXAMPLE

    spec = client.get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/initiatives/"]["post"]["requestBody"]["content"]
    example = next(iter(body["application/json"]["examples"].values()))["value"]
    assert example == EXAMPLE
    response = send(client, example, token)
    assert response.status_code == 201, response.json()
    stored = Initiative.objects.get(pk=PartnerSubmission.objects.get().initiative_id)
    assert stored.commune.name == "Plouhinec" and stored.low_tech


@pytest.mark.parametrize("value", [29197, 1.5, True, None, "x" * 3000, ["a"]])
def test_any_json_value_in_any_field_is_a_reason_or_a_submission_never_a_crash(
    client, initiative, token, value
):
    from opendata.forms import PARTNER_FIELDS

    for name in PARTNER_FIELDS:
        response = send(client, {**initiative, name: value}, token)
        assert response.status_code in (201, 400, 409), (name, value, response.content[:200])
        if response.status_code == 400:
            assert response.json()["errors"], (name, value)
