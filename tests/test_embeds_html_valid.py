"""The pages of alerts and embeds are valid HTML (the Nu HTML Checker, as
tests/test_html_valid.py runs it for the main pages)."""

import json
import subprocess
from pathlib import Path

import pytest

from alerts import links
from alerts.models import Subscription
from tests.test_html_valid import checker

pytestmark = pytest.mark.django_db


def test_the_alert_and_embed_pages_are_valid_html(client, world, tmp_path):
    command = checker()
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
    files = []
    for name, (method, path) in pages.items():
        response = getattr(client, method)(path)
        assert response.status_code in (200, 400, 404), path
        target = tmp_path / f"{name}.html"
        target.write_bytes(response.content)
        files.append(str(target))
    assert not Subscription.objects.exists()  # the unsubscribe page deleted it
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
    ]
    assert not problems, "\n".join(problems)
