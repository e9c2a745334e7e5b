"""The admin's query parameters, checked before any admin view reads them.

Search boxes, list filters, date drill-downs and the autocomplete all pass the query string to
the database; PostgreSQL refuses a NUL byte in text, which would surface as a 500 (and SQLite
would search for it). Rather than guard each screen, every admin request whose parameters hold
a NUL byte is answered 400 with a page that says why, in the curator's language.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


def unsearchable(request):
    """Whether a parameter name or value of the query string holds a NUL byte."""
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
    )


class AdminInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if unsearchable(request) and self.is_admin(request):
            response = TemplateResponse(
                request,
                "admin/bad_input.html",
                {
                    **admin.site.each_context(request),
                    "title": _("This address cannot be read"),
                    "reason": _(
                        "The address holds a character that cannot be searched for (a NUL "
                        "byte). Remove it from the search or the filter and try again."
                    ),
                },
                status=400,
            )
            return response.render()
        return self.get_response(request)

    @staticmethod
    def is_admin(request):
        # After LocaleMiddleware: the prefix is that of the language being served (/en/admin/).
        try:
            return request.path_info.startswith(reverse("admin:index"))
        except NoReverseMatch:
            return False
