from django.urls import path

from . import api, views

app_name = "territories"

urlpatterns = [
    path("territories/", views.territory_list, name="list"),
    path("territories/<slug:slug>/", views.territory_detail, name="detail"),
    path("territories/<slug:slug>/outline.geojson", views.outline, name="outline"),
    path("api/communes/", api.communes, name="communes"),
    path("api/territories/", api.territories, name="territories-api"),
]
