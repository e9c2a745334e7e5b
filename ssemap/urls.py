from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django.views.static import serve

from ssemap.health import healthz

# The admin is the curators' review desk: it says so, and signing in leads to the queue.
admin.site.site_header = _("ssemap — curation")
admin.site.site_title = _("ssemap — curation")
admin.site.index_title = _("Curation")
# The review queue needs the width (name, status, commune, themes, dates, duplicates at 1366 px):
# the breadcrumbs and the index lead everywhere the sidebar did.
admin.site.enable_nav_sidebar = False


def curator_login(request):
    """The admin sign-in, leading to the review queue (pending initiatives) unless told otherwise."""
    if request.method == "GET" and REDIRECT_FIELD_NAME not in request.GET:
        queue = reverse("admin:initiatives_initiative_changelist")
        return redirect(f"{request.path}?{urlencode({REDIRECT_FIELD_NAME: queue})}")
    return admin.site.login(request)


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    # Open-data formats and the DCAT catalogue: no language prefix (exchange/urls.py). Before
    # the API v1, whose last pattern answers a JSON 404 for any other /api/v1/ address.
    path("", include("exchange.urls")),
    # The API v1 (opendata/): versioned, outside the language prefixes (Accept-Language).
    path("api/v1/", include("opendata.urls")),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
]

# A database outage answers 503 with Retry-After; any other error a plain page, no stack trace.
handler500 = "ssemap.errors.server_error"

urlpatterns += i18n_patterns(
    path("admin/login/", curator_login),
    path("admin/", admin.site.urls),
    # Before the initiatives: "initiatives/submit/" is not the page of an initiative "submit".
    path("", include("contributions.urls")),
    path("freshness/", include("freshness.urls")),
    path("", include("initiatives.urls")),
    path("levers/", include("initiatives.lever_urls")),
    path("", include("territories.urls")),
    path("", include("alerts.urls")),
    path("", include("embeds.urls")),
    path("", include("intelligence.urls")),
    path("about/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
