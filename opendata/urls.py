from django.urls import path

from . import partners, views

app_name = "opendata"

# Identifiers are read as any text, so that a malformed one is the API's JSON 404, not the
# site's HTML page.

urlpatterns = [
    path("", views.Root.as_view(), name="root"),
    path("initiatives/", partners.Initiatives.as_view(), name="initiatives"),
    path("initiatives/<str:slug>/", views.InitiativeDetail.as_view(), name="initiative"),
    path("territories/", views.TerritoryList.as_view(), name="territories"),
    path("territories/<str:slug>/", views.TerritoryDetail.as_view(), name="territory"),
    path("themes/", views.ThemeList.as_view(), name="themes"),
    path("practices/", views.PracticeList.as_view(), name="practices"),
    path("legal-forms/", views.LegalFormList.as_view(), name="legal_forms"),
    path("levers/", views.LeverList.as_view(), name="levers"),
    path("submissions/", partners.SubmissionList.as_view(), name="submissions"),
    path("submissions/<str:pk>/", partners.SubmissionDetail.as_view(), name="submission"),
    path("openapi.json", views.Schema.as_view(), name="schema"),
    path("docs/", views.Docs.as_view(), name="docs"),
    path("<path:path>", views.NotFound.as_view()),
]
