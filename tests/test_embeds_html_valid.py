"""The pages of alerts and embeds are valid HTML (the Nu HTML Checker, as
tests/test_html_valid.py runs it for the main pages)."""

import pytest

from alerts import links
from alerts.models import Subscription
from tests.html_checker import checker, html_errors

pytestmark = pytest.mark.django_db


def test_the_alert_and_embed_pages_are_valid_html(client, world, tmp_path):
    checker()  # skips (or fails in CI) before any work when the checker is missing
    subscription = Subscription.objects.create(
        email="lou@example.org", query="theme=alimentation", language="fr"
    )
    confirm = links.confirm_token(subscription, "weekly")
    unsubscribe = links.unsubscribe_token(subscription)
    pages = {
        "embed": ("get", "/embed/?theme=alimentation&territory=rhone-alpes-test"),
        "embed-list": ("get", "/embed/?show=list"),
        "embed-error": ("get", "/embed/?theme=nope"),
        "builder": ("get", "/embed-this-map/?theme=alimentation&height=600"),
        "subscribe": ("get", "/alerts/subscribe/?theme=alimentation&low_tech=1"),
        "subscribe-errors": ("post", "/alerts/subscribe/?theme=alimentation"),
        "subscribe-done": ("get", "/alerts/subscribe/thanks/"),
        "confirm": ("get", f"/alerts/confirm/{confirm}/"),
        "confirmed": ("post", f"/alerts/confirm/{confirm}/"),
        "unsubscribe": ("get", f"/alerts/unsubscribe/{unsubscribe}/"),
        "unsubscribed": ("post", f"/alerts/unsubscribe/{unsubscribe}/"),
        "link-invalid": ("get", "/alerts/confirm/bad/"),
    }
    contents = {}
    for name, (method, path) in pages.items():
        response = getattr(client, method)(path)
        assert response.status_code in (200, 400, 404), path
        contents[name] = response.content
    assert not Subscription.objects.exists()  # the unsubscribe page deleted it
    problems = html_errors(contents, tmp_path)
    assert not problems, "\n".join(problems)
