from django.urls import path

from . import views

app_name = "conference"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("mine/", views.my_calls, name="my_calls"),
    path("<slug:slug>/<int:year>/chair/", views.dashboard, name="dashboard"),
    path("<slug:slug>/<int:year>/chair/people/", views.people, name="people"),
    path("<slug:slug>/<int:year>/chair/settings/", views.edition_settings, name="settings"),
    path("<slug:slug>/<int:year>/chair/setup/", views.setup, name="setup"),
    path("<slug:slug>/<int:year>/chair/next-edition/", views.start_next, name="start_next"),
    path(
        "<slug:slug>/<int:year>/chair/invitations/<int:pk>/<str:action>/",
        views.invitation_action,
        name="invitation_action",
    ),
    path("<slug:slug>/", views.series_detail, name="series"),
    path("<slug:slug>/<int:year>/", views.edition_detail, name="edition"),
]
