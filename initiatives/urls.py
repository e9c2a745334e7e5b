from django.urls import path

from . import api, submission, views

app_name = "initiatives"

urlpatterns = [
    path("", views.home, name="home"),
    path("initiatives/", views.directory, name="list"),
    path("initiatives/export.csv", api.export_csv, name="export-csv"),
    path("initiatives/export.geojson", api.export_geojson, name="export-geojson"),
    path("api/initiatives.geojson", api.map_data, name="map-data"),
    path("initiatives/submit/", submission.submit, name="submit"),
    path("initiatives/submit/thanks/", submission.submit_done, name="submit_done"),
    path("api/communes/", submission.communes, name="api_communes"),
    path("api/duplicates/", submission.duplicates, name="api_duplicates"),
    path("initiatives/<slug:slug>/", views.InitiativeDetailView.as_view(), name="detail"),
    path("initiatives/<slug:slug>/correct/", submission.correct, name="correct"),
    path("initiatives/<slug:slug>/correct/thanks/", submission.correct_done, name="correct_done"),
]
