"""A mail server that accepts connections and never answers changes no page's response time:
neither a submission's (which mails the curators and the submitter) nor an alert
subscription's (which mails a confirmation link). Measured against a bound far below the mail
timeout, which a request that waited for the server could not meet."""

import time

import pytest

from alerts.models import Subscription
from initiatives.models import Initiative
from tests.test_submission_email_tasks import (  # noqa: F401  (fixtures)
    SUBMIT,
    hung_server,
    queued,
    submission,
)

pytestmark = pytest.mark.django_db(transaction=True)

# A request that talked to the hung server would wait this long for its first reply.
MAIL_TIMEOUT = 10
# Generous: a page of this test site answers in a small fraction of it.
BOUND = 3.0


@pytest.fixture
def patient_mailer(settings, hung_server):  # noqa: F811
    settings.MAILERS["default"]["OPTIONS"]["timeout"] = MAIL_TIMEOUT
    return hung_server


def timed(action):
    started = time.perf_counter()
    response = action()
    return response, time.perf_counter() - started


def test_a_submission_answers_within_the_bound_whatever_the_mail_server(
    client,
    submission,  # noqa: F811
    patient_mailer,
):
    response, elapsed = timed(lambda: client.post(SUBMIT, submission))
    assert response.status_code == 302
    assert Initiative.objects.filter(status="pending").exists()
    assert elapsed < BOUND, f"{elapsed:.2f} s"
    assert patient_mailer == []  # never contacted: the two messages wait in the queue
    assert queued().count() == 2


def test_an_alert_subscription_answers_within_the_bound_whatever_the_mail_server(
    client, world, patient_mailer
):
    response, elapsed = timed(
        lambda: client.post(
            "/alerts/subscribe/?theme=alimentation",
            {"email": "lou@example.org", "frequency": "weekly"},
        )
    )
    assert response.status_code == 302
    assert Subscription.objects.exists()
    assert elapsed < BOUND, f"{elapsed:.2f} s"
    assert patient_mailer == []
    assert queued().count() == 1
