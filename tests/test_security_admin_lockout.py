"""The admin sign-in resists password guessing: a username+address pair is locked after N failures."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from contributions.ratelimit import client_address

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def curator():
    return get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)


def sign_in(client, password, username="curator", address="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def fail_until_locked(client, **kwargs):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong-password", **kwargs)


def test_a_correct_password_signs_in(client, curator):
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_a_few_failures_do_not_lock_the_account(client, curator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong-password").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def test_too_many_failures_lock_out_even_the_right_password(client, curator):
    fail_until_locked(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_explains_in_the_visitors_language(client, curator):
    fail_until_locked(client)
    french = sign_in(client, PASSWORD).content.decode()
    assert "Trop de tentatives de connexion" in french
    english = client.post(
        "/en/admin/login/",
        {"username": "curator", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    ).content.decode()
    assert "Too many sign-in attempts" in english
    assert "Traceback" not in french + english


def test_the_lock_is_per_username_and_address(client, curator):
    fail_until_locked(client)
    # The same person from another address, and another account from the same address, still
    # get in: an attacker cannot lock every curator out by guessing from one place.
    assert sign_in(client, PASSWORD, address="198.51.100.9").status_code == 302
    client.logout()
    get_user_model().objects.create_user("other", password=PASSWORD, is_staff=True)
    assert sign_in(client, PASSWORD, username="other").status_code == 302


def test_a_success_resets_the_failure_count(client, curator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong-password")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong-password")
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_client_address_comes_from_the_trusted_proxy_header(client, curator, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "curator", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="203.0.113.7",
        )
    locked = client.post(
        LOGIN,
        {"username": "curator", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="203.0.113.7",
    )
    assert locked.status_code == 429
    other_client = client.post(
        LOGIN,
        {"username": "curator", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="198.51.100.9",
    )
    assert other_client.status_code == 302


def test_test_client_login_still_works(client, curator):
    assert client.login(username="curator", password=PASSWORD)


def test_the_submission_rate_limit_counts_the_client_behind_the_proxy(rf, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert client_address(request) == "203.0.113.7"
    settings.CLIENT_IP_HEADER = ""
    assert client_address(request) == "10.0.0.1"


def test_one_address_trying_many_usernames_is_locked_out(client, curator, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    # A few guesses on each of many usernames: never five on one, eight in all.
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong-password", username=f"guess{n // 2}").status_code == 200
    sign_in(client, "wrong-password", username="guess-last")
    locked = sign_in(client, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not concerned.
    assert sign_in(client, PASSWORD, address="198.51.100.9").status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_address_count(client, curator, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        sign_in(client, "wrong-password", username=f"victim{n}")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    sign_in(client, "wrong-password", username="victim-last")
    assert sign_in(client, PASSWORD).status_code == 429
