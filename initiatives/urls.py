from django.urls import path

from . import api, views

app_name = "initiatives"

urlpatterns = [
    path("", views.home, name="home"),
    path("initiatives/", views.directory, name="list"),
    path("initiatives/export.csv", api.export_csv, name="export-csv"),
    path("initiatives/export.geojson", api.export_geojson, name="export-geojson"),
    path("api/initiatives.geojson", api.map_data, name="map-data"),
    path("initiatives/<slug:slug>/", views.InitiativeDetailView.as_view(), name="detail"),
]
