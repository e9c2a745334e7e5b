"""Sign-in protection: django-axes watches the web sign-ins, keyed on username and client address."""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


class LoginAttemptBackend(AxesStandaloneBackend):
    """Axes' lockout check, for sign-ins that come with an HTTP request.

    ``authenticate()`` without a request (the test client's ``login()``, management commands) is
    not a web sign-in and cannot be brute-forced from outside: it is left to the next backend
    instead of failing, so tests and scripts keep working.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The client's address: ``REMOTE_ADDR``, or the header a trusted reverse proxy sets.

    ``CLIENT_IP_HEADER`` (for example ``HTTP_X_REAL_IP``) must only be set behind a proxy that
    overwrites that header; for ``X-Forwarded-For`` the proxy's own entry, the last one, is used.
    """
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "").split(",")[-1].strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR", "")


class LoginAttemptHandler(AxesDatabaseHandler):
    """Two limits: ``AXES_FAILURE_LIMIT`` per username and address, ``AXES_ADDRESS_FAILURE_LIMIT``
    per address across usernames.

    The first stops guessing one account's password; the second, higher so that a curator who
    mistypes is not locked out by colleagues behind the same address, stops one address from
    trying a few passwords on every username. Axes has one limit for all its lockout
    parameters (``AXES_LOCKOUT_PARAMETERS``: the pair first, then the address alone), so a reached
    address limit is reported as a reached pair limit.
    """

    def get_failures(self, request, credentials=None):
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request, credentials=None):
        # A success clears that account's failures from that address only: signing in to one's own
        # account must not wipe what the address tried on the others.
        count, _ = self.filter_user_attempts(request, credentials)[0].delete()
        return count
