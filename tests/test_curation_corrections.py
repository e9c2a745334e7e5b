"""Suggested corrections: stored apart, shown as a diff, applied only when a curator accepts."""

import pytest
from django.core import mail
from django.core.cache import cache

from contributions import corrections
from initiatives.models import Correction, CorrectionStatus
from tests.factories import (
    CommuneFactory,
    InitiativeFactory,
    PendingInitiativeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit_leftovers():
    cache.clear()


@pytest.fixture
def published():
    theme = ThemeFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    commune = CommuneFactory(name="Plouhinec", code="29197", epci__department__code="29")
    return InitiativeFactory(
        name="Épicerie du Cap",
        summary="Une épicerie solidaire.",
        organisation="Asso du Cap",
        website="https://old.example.org",
        commune=commune,
        themes=[theme],
    )


def form_data(client, initiative):
    """What the correction form shows, as a browser would send it back unchanged."""
    response = client.get(f"/initiatives/{initiative.slug}/correct/")
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", False):
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_the_form_is_prefilled_with_the_published_values(client, published):
    response = client.get(f"/initiatives/{published.slug}/correct/")
    assert 'value="Épicerie du Cap"' in response.text
    assert 'value="Plouhinec (29)"' in response.text
    assert 'value="https://old.example.org"' in response.text


def test_only_published_initiatives_take_corrections(client):
    pending = PendingInitiativeFactory()
    assert client.get(f"/initiatives/{pending.slug}/correct/").status_code == 404


def test_a_correction_keeps_only_changed_fields_and_leaves_the_initiative_untouched(
    client, published, django_capture_on_commit_callbacks, settings
):
    settings.CURATOR_EMAILS = ["curators@example.org"]
    data = form_data(client, published)
    data.update(website="https://new.example.org", message="Le site a changé.")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/initiatives/{published.slug}/correct/", data)

    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.proposed == {"website": "https://new.example.org"}
    assert correction.status == CorrectionStatus.PENDING
    published.refresh_from_db()
    assert published.website == "https://old.example.org"
    assert client.get(f"/initiatives/{published.slug}/").status_code == 200
    assert "https://new.example.org" not in client.get(f"/initiatives/{published.slug}/").text
    assert [m.to for m in mail.outbox] == [["curators@example.org"]]


def test_a_correction_that_changes_nothing_is_refused(client, published):
    response = client.post(
        f"/en/initiatives/{published.slug}/correct/", form_data(client, published)
    )
    assert response.status_code == 200
    assert "Nothing was changed" in response.text
    assert not Correction.objects.exists()


def test_invalid_corrections_get_field_messages(client, published):
    data = {**form_data(client, published), "website": "nope"}
    response = client.post(f"/en/initiatives/{published.slug}/correct/", data)
    assert "Enter a valid URL." in response.context["form"].errors["website"]


def test_the_diff_shows_published_and_proposed_values(published):
    correction = Correction.objects.create(
        initiative=published,
        proposed={"summary": "Une épicerie coopérative.", "themes": ["alimentation"]},
    )
    rows = {row["field"]: row for row in corrections.diff(correction)}
    assert rows["summary"]["current"] == "Une épicerie solidaire."
    assert rows["summary"]["proposed"] == "Une épicerie coopérative."
    assert rows["summary"]["changed"]
    assert not rows["themes"]["changed"]


def test_accepting_applies_the_correction_with_history(published, admin_user):
    other_theme = ThemeFactory(slug="solidarite")
    correction = Correction.objects.create(
        initiative=published,
        proposed={"summary": "Une épicerie coopérative.", "themes": ["solidarite"]},
    )

    corrections.accept(correction, by=admin_user)

    published.refresh_from_db()
    correction.refresh_from_db()
    assert published.summary == "Une épicerie coopérative."
    assert list(published.themes.all()) == [other_theme]
    assert correction.status == CorrectionStatus.ACCEPTED
    assert correction.decided_by == admin_user
    assert published.history.latest().history_user == admin_user


def test_refusing_leaves_the_initiative_as_it_was(published, admin_user):
    correction = Correction.objects.create(initiative=published, proposed={"name": "Autre nom"})
    corrections.refuse(correction, by=admin_user)
    published.refresh_from_db()
    assert published.name == "Épicerie du Cap"
    assert Correction.objects.get().status == CorrectionStatus.REFUSED


def test_a_decided_correction_cannot_be_decided_again(published, admin_user):
    correction = Correction.objects.create(initiative=published, proposed={"name": "Autre nom"})
    corrections.refuse(correction, by=admin_user)
    with pytest.raises(corrections.CorrectionError):
        corrections.accept(correction, by=admin_user)


def test_the_admin_shows_the_diff_and_accepts(admin_client, published):
    correction = Correction.objects.create(
        initiative=published, proposed={"website": "https://new.example.org"}
    )
    url = f"/admin/initiatives/correction/{correction.pk}/change/"
    page = admin_client.get(url)
    assert "https://old.example.org" in page.text and "https://new.example.org" in page.text
    assert 'name="_accept"' in page.text

    admin_client.post(url, {"_accept": "1"})

    published.refresh_from_db()
    assert published.website == "https://new.example.org"


def test_the_admin_refuses(admin_client, published):
    correction = Correction.objects.create(initiative=published, proposed={"name": "Autre"})
    admin_client.post(f"/admin/initiatives/correction/{correction.pk}/change/", {"_refuse": "1"})
    correction.refresh_from_db()
    published.refresh_from_db()
    assert correction.status == CorrectionStatus.REFUSED
    assert published.name == "Épicerie du Cap"


def test_a_field_a_curator_changed_meanwhile_is_not_sent_back_with_its_old_value(client, published):
    data = form_data(client, published)  # the citizen opens the form…
    published.summary = "Une épicerie coopérative (revu par un curateur)."
    published.save()  # … a curator edits the summary meanwhile …
    data.update(organisation="Les Amis du Cap")  # … the citizen corrects another field.

    assert client.post(f"/initiatives/{published.slug}/correct/", data).status_code == 302

    correction = Correction.objects.get()
    assert correction.proposed == {"organisation": "Les Amis du Cap"}
    rows = corrections.diff(correction)
    assert [(r["field"], r["conflict"]) for r in rows] == [("organisation", False)]


def test_the_diff_flags_a_field_a_curator_changed_since_the_citizen_saw_it(client, published):
    data = form_data(client, published)
    data.update(summary="Une épicerie solidaire et un café.")
    assert client.post(f"/initiatives/{published.slug}/correct/", data).status_code == 302
    published.summary = "Une épicerie solidaire, ouverte le samedi."
    published.save()  # a curator, after the correction was sent

    (row,) = corrections.diff(Correction.objects.get())
    assert row["field"] == "summary" and row["changed"] and row["conflict"]
    assert row["current"] == "Une épicerie solidaire, ouverte le samedi."


def test_the_admin_says_in_words_which_fields_a_curator_changed_since(
    client, admin_client, published
):
    data = form_data(client, published)
    data.update(summary="Une épicerie solidaire et un café.", organisation="Les Amis du Cap")
    assert client.post(f"/initiatives/{published.slug}/correct/", data).status_code == 302
    published.summary = "Une épicerie solidaire, ouverte le samedi."
    published.save()
    correction = Correction.objects.get()

    page = admin_client.get(f"/admin/initiatives/correction/{correction.pk}/change/")

    html = page.content.decode()
    assert html.count('class="changed conflict"') == 1  # the summary, not the organisation
    assert "modifié depuis l’envoi de cette suggestion" in html  # the curators' language


def test_without_a_valid_fingerprint_the_published_values_are_the_reference(client, published):
    data = form_data(client, published)
    data.update(seen="forged:token", organisation="Les Amis du Cap")
    assert client.post(f"/initiatives/{published.slug}/correct/", data).status_code == 302
    correction = Correction.objects.get()
    assert correction.proposed == {"organisation": "Les Amis du Cap"}
    assert [r["conflict"] for r in corrections.diff(correction)] == [False]
