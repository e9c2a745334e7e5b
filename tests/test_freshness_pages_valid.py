"""The pages freshness adds are valid HTML (the Nu HTML Checker, as tests/test_html_valid.py):
an initiative's page with its hours, stale notice and contact form, and the link pages."""

import pytest

from freshness import links
from initiatives.models import Initiative
from tests.factories import InitiativeFactory, ThemeFactory
from tests.html_checker import checker, html_errors

pytestmark = pytest.mark.django_db


def test_freshness_pages_are_valid_html(client, tmp_path):
    checker()  # skips (or fails in CI) before any work when the checker is missing
    entry = InitiativeFactory(
        name="Ressourcerie des Pentes",
        contact_email="bonjour@ressourcerie.example.org",
        opening_hours='Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-18:00; Su off "sur rendez-vous"',
        themes=[ThemeFactory()],
    )
    Initiative.objects.filter(pk=entry.pk).update(stale=True)
    contact = f"/freshness/{entry.slug}/contact/"
    pages = {
        "initiative": client.get(entry.get_absolute_url()),
        "initiative-en": client.get(f"/en{entry.get_absolute_url()}"),
        "contact": client.get(contact),
        "contact-errors": client.post(contact, {"email": "nope"}),
        "confirm": client.get(f"/freshness/still-accurate/{links.make_token(entry, 'confirm')}/"),
        "closed": client.get(f"/freshness/closed/{links.make_token(entry, 'closed')}/"),
        "claim": client.post(f"/freshness/{entry.slug}/mine/"),
        "claimed": client.post(f"/freshness/mine/{links.make_token(entry, 'claim')}/"),
        "invalid": client.get("/freshness/still-accurate/nonsense/"),
        "directory-open-now": client.get("/initiatives/?open_now=1"),
    }
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
    problems = html_errors({name: r.content for name, r in pages.items()}, tmp_path)
    assert not problems, "\n".join(problems)
