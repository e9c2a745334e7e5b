from django.urls import path

from . import views

app_name = "levers"

urlpatterns = [
    path("", views.LeverListView.as_view(), name="list"),
    path("<slug:slug>/", views.LeverDetailView.as_view(), name="detail"),
]
