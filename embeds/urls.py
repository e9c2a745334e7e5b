from django.urls import path

from . import views

app_name = "embeds"

urlpatterns = [
    path("embed/", views.embed, name="embed"),
    path("embed-this-map/", views.builder, name="builder"),
]
