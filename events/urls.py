from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/registration/", views.mine, name="mine"),
    path("<slug:slug>/registration/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/organise/", views.organise, name="organise"),
]
