"""Curators working at the same time, or on old versions: nobody's work or decision is lost."""

import pytest
from django.core.management import call_command
from django.test import Client

from contributions import corrections
from curation.moderation import TransitionError, transition
from initiatives.models import Correction, CorrectionStatus, Initiative, Status, StatusChange
from tests.factories import InitiativeFactory, PendingInitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/initiatives/initiative/"


def signed_in(django_user_model, name):
    call_command("create_curator", name, email=f"{name}@example.org", password="Curat0r-pass-2026")
    client = Client()
    client.force_login(django_user_model.objects.get(username=name))
    return client


@pytest.fixture
def alice(django_user_model):
    return signed_in(django_user_model, "alice")


@pytest.fixture
def bob(django_user_model):
    return signed_in(django_user_model, "bob")


def form_data(response):
    """What the browser would post back from an admin change (or history) form."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or (name == "image" and not value):
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    for prefix in ("status_changes", "corrections"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def change_url(item):
    return f"{CHANGELIST}{item.pk}/change/"


def test_a_stale_save_is_refused_and_shows_what_the_other_curator_changed(alice, bob):
    item = InitiativeFactory(themes=[ThemeFactory()], summary="Avant.", organisation="Asso")
    alices = form_data(alice.get(change_url(item)))
    bobs = form_data(bob.get(change_url(item)))

    alices["summary"] = "Corrigé par Alice."
    assert alice.post(change_url(item), alices).status_code == 302
    bobs["organisation"] = "Asso de Bob"
    refused = bob.post(change_url(item), bobs)

    assert refused.status_code == 200
    item.refresh_from_db()
    assert (item.summary, item.organisation) == ("Corrigé par Alice.", "Asso")
    text = refused.text
    assert "Quelqu’un a enregistré cette initiative" in text or "Someone saved" in text
    conflict = {c["label"]: c for c in refused.context["conflicts"]}
    assert conflict["résumé" if "résumé" in conflict else "summary"]["new"] == "Corrigé par Alice."
    assert "Avant." in text and "Corrigé par Alice." in text and "alice" in text

    # Having seen it, Bob saves again on purpose: his value is kept, Alice's stays.
    again = form_data(refused)
    assert again["organisation"] == "Asso de Bob"
    assert bob.post(change_url(item), again).status_code == 302
    item.refresh_from_db()
    assert (item.summary, item.organisation) == ("Corrigé par Alice.", "Asso de Bob")


def test_an_unchanged_form_saves_without_a_conflict(alice):
    item = InitiativeFactory(themes=[ThemeFactory()])
    data = form_data(alice.get(change_url(item)))
    data["summary"] = "Une seule main."
    assert alice.post(change_url(item), data).status_code == 302
    data = form_data(alice.get(change_url(item)))
    assert alice.post(change_url(item), data).status_code == 302


def decided(status, by):
    item = PendingInitiativeFactory(themes=[ThemeFactory()], summary="Version en attente.")
    if status == Status.REJECTED:
        transition(item, Status.REJECTED, by=by, reason="Hors sujet.")
    else:
        transition(item, Status.PUBLISHED, by=by)
        item.summary = "Version publiée."
        item.save()
        transition(item, Status.ARCHIVED, by=by)
    return item


@pytest.mark.parametrize("status", [Status.REJECTED, Status.ARCHIVED])
def test_reverting_to_an_old_version_keeps_the_moderation_decision(
    alice, django_user_model, status
):
    item = decided(status, django_user_model.objects.get(username="alice"))
    journal = StatusChange.objects.count()
    oldest = item.history.earliest()
    assert oldest.status == Status.PENDING

    url = f"{CHANGELIST}{item.pk}/history/{oldest.history_id}/"
    response = alice.post(url, form_data(alice.get(url)), follow=True)

    item.refresh_from_db()
    assert item.status == status
    assert item.summary == "Version en attente."  # the content is restored
    assert StatusChange.objects.count() == journal
    assert not Initiative.objects.published().filter(pk=item.pk).exists()
    assert any(
        "moderation" in str(m) or "modération" in str(m) for m in response.context["messages"]
    )


def test_no_save_changes_a_stored_status_outside_the_transition_table():
    item = InitiativeFactory()
    item.status = Status.PENDING
    with pytest.raises(TransitionError):
        item.save()
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    # Other fields still save as before.
    item.summary = "Modifié."
    item.save()
    assert Initiative.objects.get(pk=item.pk).summary == "Modifié."


def test_two_curators_accepting_the_same_correction_apply_it_once(django_user_model, alice, bob):
    item = InitiativeFactory(summary="Avant.", themes=[ThemeFactory()])
    correction = Correction.objects.create(initiative=item, proposed={"summary": "Après."})
    # Both opened the correction before either decided.
    alices, bobs = (Correction.objects.get(pk=correction.pk) for _ in range(2))
    users = {u.username: u for u in django_user_model.objects.all()}

    corrections.accept(alices, by=users["alice"])
    with pytest.raises(corrections.CorrectionError):
        corrections.accept(bobs, by=users["bob"])
    with pytest.raises(corrections.CorrectionError):
        corrections.refuse(Correction.objects.get(pk=correction.pk), by=users["bob"])

    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == (CorrectionStatus.ACCEPTED, users["alice"])
    accepted = item.history.filter(history_change_reason__contains="accepted")
    assert accepted.count() == 1


def test_the_second_click_on_accept_in_the_admin_is_a_message(alice, bob):
    item = InitiativeFactory(summary="Avant.", themes=[ThemeFactory()])
    correction = Correction.objects.create(initiative=item, proposed={"summary": "Après."})
    url = f"/admin/initiatives/correction/{correction.pk}/change/"
    assert alice.post(url, {"_accept": "1"}).status_code == 302
    second = bob.post(url, {"_accept": "1"}, follow=True)
    assert second.status_code == 200
    assert any("déjà été tranchée" in str(m) for m in second.context["messages"])
    assert item.history.filter(history_change_reason__contains="accepted").count() == 1
