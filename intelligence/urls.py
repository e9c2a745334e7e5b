from django.urls import path

from . import views

app_name = "intelligence"

urlpatterns = [
    path("solutions/", views.solution_list, name="solutions"),
    path("solutions/<slug:slug>/", views.solution_detail, name="solution"),
    path("compare/", views.compare_territories, name="compare"),
    path("territories-map/", views.country_map, name="country-map"),
    path("territories/<slug:slug>/profile/", views.profile, name="profile"),
    path("territories/<slug:slug>/profile.pdf", views.profile_pdf, name="profile-pdf"),
]
