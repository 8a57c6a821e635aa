from django.urls import path

from . import views

app_name = "conference"

urlpatterns = [
    path("<slug:slug>/", views.series_detail, name="series"),
    path("<slug:slug>/<int:year>/", views.edition_detail, name="edition"),
]
