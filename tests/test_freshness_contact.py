"""Reaching an initiative's people without ever seeing their address: a form relays the
message (Reply-To: the sender, a copy to the sender), rate-limited, with a honeypot; and
"this is my initiative", confirmed through a link sent to the listed address.

Real mail: an aiosmtpd server, the database task queue and its worker."""

import pytest
from django.core.cache import cache
from django.utils import translation

from freshness.models import Ownership
from initiatives.models import Correction
from tests.factories import InitiativeFactory, ThemeFactory
from tests.freshness_mail import body, form_data, links_in, run_worker, smtp_mailbox

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "secret.contact@ressourcerie.example.org"


@pytest.fixture
def mailbox(settings):
    yield from smtp_mailbox(settings)


@pytest.fixture
def entry():
    cache.clear()
    return InitiativeFactory(
        name="Ressourcerie des Pentes",
        contact_email=ADDRESS,
        opening_hours="Mo-Fr 09:00-18:00",
        themes=[ThemeFactory()],
    )


MESSAGE = {
    "name": "Dominique",
    "email": "dominique@example.net",
    "message": "Bonjour, acceptez-vous les dons de meubles le samedi ?",
}


def contact_url(initiative):
    return f"/freshness/{initiative.slug}/contact/"


def test_a_message_is_relayed_and_the_sender_gets_a_copy(client, mailbox, entry):
    response = client.post(contact_url(entry), MESSAGE)
    assert response.status_code == 302
    assert mailbox.messages == []  # sent by the worker, not in the request

    run_worker()

    (relayed,) = mailbox.to(ADDRESS)
    assert MESSAGE["message"] in body(relayed)
    assert relayed["Reply-To"] == "dominique@example.net"
    (copy,) = mailbox.to("dominique@example.net")
    assert MESSAGE["message"] in body(copy)
    assert "Ressourcerie des Pentes" in copy["Subject"]
    assert ADDRESS not in copy.as_string()


def test_the_address_never_appears_in_any_page(client, mailbox, entry):
    client.post(contact_url(entry), MESSAGE)
    run_worker()
    pages = [
        entry.get_absolute_url(),
        f"/en{entry.get_absolute_url()}",
        contact_url(entry),
        f"/freshness/{entry.slug}/contact/sent/",
        f"/initiatives/{entry.slug}/correct/",
        "/initiatives/",
        "/initiatives/?q=Ressourcerie",
        "/api/initiatives.geojson?bbox=-5,41,10,52&zoom=12",
        "/initiatives/export.csv",
        "/initiatives/export.geojson",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = b"".join(response.streaming_content) if response.streaming else response.content
        assert ADDRESS.encode() not in text, url
        assert b"secret.contact" not in text, url
    page = client.get(entry.get_absolute_url()).content.decode()
    assert 'id="contact-form"' in page


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_sent(client, mailbox, entry):
    response = client.post(contact_url(entry), MESSAGE | {"homepage": "http://spam.example"})
    run_worker()
    assert response.status_code == 302
    assert mailbox.messages == []


def test_bad_input_is_a_400_with_reasons_in_the_visitors_language(client, mailbox, entry):
    response = client.post(
        f"/en{contact_url(entry)}", MESSAGE | {"email": "not-an-address", "message": "hi"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    french = client.post(contact_url(entry), MESSAGE | {"email": "pas-une-adresse"})
    assert french.status_code == 400
    with translation.override("fr"):  # Django's own wording, which its releases revise
        assert translation.gettext("Enter a valid email address.") in french.content.decode()
    run_worker()
    assert mailbox.messages == []


def test_messages_are_rate_limited_per_address(client, settings, mailbox, entry):
    settings.CONTACT_RATE_LIMIT = 2
    assert client.post(contact_url(entry), MESSAGE).status_code == 302
    assert client.post(contact_url(entry), MESSAGE).status_code == 302
    refused = client.post(contact_url(entry), MESSAGE)
    assert refused.status_code == 429
    assert MESSAGE["message"] in refused.content.decode()  # nothing typed is lost
    run_worker()
    assert len(mailbox.to(ADDRESS)) == 2


def test_an_initiative_without_an_address_has_no_contact_form(client, mailbox):
    silent = InitiativeFactory(contact_email="", themes=[ThemeFactory()])
    assert b'id="contact-form"' not in client.get(silent.get_absolute_url()).content
    assert client.post(contact_url(silent), MESSAGE).status_code == 404


def test_this_is_my_initiative_is_confirmed_through_the_listed_address(client, mailbox, entry):
    sent = client.post(f"/freshness/{entry.slug}/mine/")
    assert b'id="claim-sent"' in sent.content
    assert ADDRESS.encode() not in sent.content
    run_worker()

    (message,) = mailbox.to(ADDRESS)
    (link,) = [url for url in links_in(message) if "/freshness/mine/" in url]
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    assert not Ownership.objects.exists()  # a GET changes nothing

    assert b'id="claimed-mark"' not in client.get(entry.get_absolute_url()).content
    claimed = client.post(path)
    assert b'id="claim-done"' in claimed.content
    assert Ownership.objects.get().email == ADDRESS
    assert b'id="claimed-mark"' in client.get(entry.get_absolute_url()).content

    # From the page they land on, their correction is marked as from the initiative's people.
    update_url = claimed.context["update_url"]
    form = client.get(update_url)
    sent = client.post(update_url, form_data(form) | {"opening_hours": "Mo-Sa 09:00-18:00"})
    assert sent.status_code == 302, sent.context["form"].errors
    assert Correction.objects.get().from_owner


def test_a_correction_without_their_link_is_not_from_its_people(client, mailbox, entry):
    other = InitiativeFactory(contact_email="other@example.org", themes=[ThemeFactory()])
    client.post(f"/freshness/{other.slug}/mine/")
    run_worker()
    (link,) = [u for u in links_in(mailbox.to("other@example.org")[0]) if "/mine/" in u]
    claimed = client.post(link.removeprefix("http://testserver"))
    others_token = claimed.context["update_url"].split("?owner=")[1]

    url = f"/initiatives/{entry.slug}/correct/"
    client.post(url, form_data(client.get(url)) | {"opening_hours": "Sa 10:00-12:00"})
    forged = f"{url}?owner={others_token}"  # another initiative's link
    client.post(forged, form_data(client.get(forged)) | {"opening_hours": "Su 10:00-12:00"})

    assert [c.from_owner for c in Correction.objects.order_by("pk")] == [False, False]
