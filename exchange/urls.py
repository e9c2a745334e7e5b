from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path(
        "api/v1/data-inclusion/structures",
        views.datainclusion_structures,
        name="datainclusion-structures",
    ),
    path("api/v1/gogocarto/elements.json", views.gogocarto_elements, name="gogocarto-elements"),
    path("api/v1/gogocarto/taxonomy.json", views.gogocarto_taxonomy, name="gogocarto-taxonomy"),
    path("catalog.jsonld", views.catalog_jsonld, name="catalog"),
]
