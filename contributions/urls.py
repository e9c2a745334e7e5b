from django.urls import path

from . import views

app_name = "contributions"

urlpatterns = [
    path("initiatives/submit/", views.submit, name="submit"),
    path("initiatives/submit/thanks/", views.submit_done, name="submit_done"),
    path("api/duplicates/", views.duplicates, name="api_duplicates"),
    path("initiatives/<slug:slug>/correct/", views.correct, name="correct"),
    path("initiatives/<slug:slug>/correct/thanks/", views.correct_done, name="correct_done"),
]
