from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.static import serve

from ssemap.health import healthz

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]

# A database outage answers 503 with Retry-After; any other error a plain page, no stack trace.
handler500 = "ssemap.errors.server_error"

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Before the initiatives: "initiatives/submit/" is not the page of an initiative "submit".
    path("", include("contributions.urls")),
    path("", include("initiatives.urls")),
    path("levers/", include("initiatives.lever_urls")),
    path("", include("territories.urls")),
    path("about/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
