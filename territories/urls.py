from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("", views.TerritoryListView.as_view(), name="list"),
    path("<slug:slug>/", views.TerritoryDetailView.as_view(), name="detail"),
]
