"""Sign-in protection: django-axes watches the web sign-ins, keyed on username and client address."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


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
