"""The submission rate limit: atomic under concurrent requests, deaf to cache pressure, counting
every attempt that costs the server work (contributions/ratelimit.py)."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.core.cache import cache

from contributions.models import Attempt
from initiatives.models import Correction, Initiative
from tests.factories import CommuneFactory, InitiativeFactory, ThemeFactory

SUBMIT = "/initiatives/submit/"


def form_data(commune, theme, name):
    return {
        "name": name,
        "summary": "Un atelier de réparation de vélos.",
        "themes": [theme.pk],
        "commune": str(commune),
        "commune_code": commune.code,
        "submitter_name": "Camille",
        "submitter_email": "camille@example.org",
        "consent": "on",
    }


@pytest.fixture
def place(db):
    return CommuneFactory(name="Villeneuve-Test", slug="villeneuve-test"), ThemeFactory()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    # SQLite's in-memory test database, shared by the server's threads, locks whole tables
    # without waiting and misreports errors: not a database to measure concurrency on.
    reason="real concurrency needs PostgreSQL",
)
def test_twelve_concurrent_submissions_store_at_most_the_limit(live_server, settings):
    settings.SUBMISSION_RATE_LIMIT = 3
    commune, theme = CommuneFactory(name="Villeneuve-Test"), ThemeFactory()
    with urllib.request.urlopen(live_server.url + SUBMIT) as page:
        cookie = page.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())[1]
    start = threading.Barrier(12)
    statuses = []

    def send(n):
        body = urllib.parse.urlencode(
            {**form_data(commune, theme, f"Atelier {n}"), "csrfmiddlewaretoken": token},
            doseq=True,
        ).encode()
        request = urllib.request.Request(
            live_server.url + SUBMIT, data=body, headers={"Cookie": cookie}
        )
        start.wait()
        try:
            # Not following the redirect: the 302 itself says "stored".
            opener = urllib.request.build_opener(NoRedirect)
            statuses.append(opener.open(request, timeout=30).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(statuses) == 12
    assert Initiative.objects.count() <= 3
    assert set(statuses) <= {302, 429}, statuses
    assert 1 <= statuses.count(302) == Initiative.objects.count() <= 3


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db
def test_cache_pressure_does_not_reopen_the_gate(client, place, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    for n in range(2):
        assert client.post(SUBMIT, form_data(*place, f"Atelier {n}")).status_code == 302
    # Far more entries than the bounded LocMem cache holds (CACHE_MAX_ENTRIES), as 550 cheap
    # map requests would write.
    for n in range(2000):
        cache.set(f"pressure-{n}", "x" * 100)
    cache.clear()
    response = client.post(SUBMIT, form_data(*place, "Atelier de trop"))
    assert response.status_code == 429
    assert Initiative.objects.count() == 2


@pytest.mark.django_db
def test_invalid_submissions_count_as_attempts(client, place, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(SUBMIT, {**form_data(*place, ""), "image": ""}).status_code == 200
    assert client.post(SUBMIT, form_data(*place, "Atelier")).status_code == 429
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_corrections_share_the_limit_of_submissions(client, place, settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    commune, theme = place
    published = InitiativeFactory(slug="cafe-velo", commune=commune, themes=[theme])
    assert client.post(SUBMIT, form_data(commune, theme, "Atelier")).status_code == 302
    response = client.post(f"/initiatives/{published.slug}/correct/", {"name": "Autre nom"})
    assert response.status_code == 429
    assert not Correction.objects.exists()


@pytest.mark.django_db
def test_a_flood_beyond_the_limit_writes_nothing_more(client, place, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    for _ in range(10):
        client.post(SUBMIT, form_data(*place, ""))
    assert Attempt.objects.count() == 2


@pytest.mark.django_db
def test_each_address_has_its_own_count(client, place, settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    assert client.post(SUBMIT, form_data(*place, "A")).status_code == 302
    assert client.post(SUBMIT, form_data(*place, "B")).status_code == 429
    other = client.post(SUBMIT, form_data(*place, "C"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
