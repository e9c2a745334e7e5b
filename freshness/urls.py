from django.urls import path

from . import views

app_name = "freshness"

urlpatterns = [
    path("still-accurate/<str:token>/", views.confirm, name="confirm"),
    path("closed/<str:token>/", views.closed, name="closed"),
    path("mine/<str:token>/", views.claim_confirm, name="claim_confirm"),
    path("<slug:slug>/mine/", views.claim, name="claim"),
    path("<slug:slug>/contact/", views.contact, name="contact"),
    path("<slug:slug>/contact/sent/", views.contact_done, name="contact_done"),
]
