from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("photo/<slug:token>/", views.photo, name="photo"),
    path("data/export/", views.export, name="export"),
    path("delete/", views.delete_account, name="delete"),
]
