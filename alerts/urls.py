from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/feed.atom", views.feed, name="feed"),
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/subscribe/thanks/", views.subscribe_done, name="subscribe_done"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
