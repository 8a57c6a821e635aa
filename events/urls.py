from django.urls import path

from . import door_views, organiser_views, public_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("my-registrations/", views.my_registrations, name="my_registrations"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/registration/", views.mine, name="mine"),
    path("<slug:slug>/registration/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/registration/edit/", views.edit, name="edit"),
    path("<slug:slug>/registration/visa-letter.pdf", views.visa_letter, name="visa_letter"),
    path("<slug:slug>/organise/", views.organise, name="organise"),
    path("<slug:slug>/organise/registrations/<int:pk>/", organiser_views.registration, name="registration"),
    path(
        "<slug:slug>/organise/registrations/<int:pk>/visa-letter.pdf",
        organiser_views.registration_letter,
        name="registration_letter",
    ),  # fmt: skip
    path(
        "<slug:slug>/organise/registrations/<int:pk>/forget-passport/",
        organiser_views.forget_passport,
        name="forget_passport",
    ),  # fmt: skip
    path("<slug:slug>/organise/export.<str:file_format>", organiser_views.export, name="export"),
    path(
        "<slug:slug>/organise/visa-export.<str:file_format>", organiser_views.export_visa, name="export_visa"
    ),
    path("<slug:slug>/organise/invitations/", organiser_views.invitations, name="invitations"),
    path("<slug:slug>/organise/mail/", organiser_views.group_mail, name="group_mail"),
    path("<slug:slug>/organise/badges.pdf", door_views.badges, name="badges"),
    path("<slug:slug>/organise/check-in/", door_views.check_in, name="check_in"),
    path("<slug:slug>/organise/certificates.pdf", door_views.certificates, name="certificates"),
    path("<slug:slug>/registration/certificate.pdf", door_views.certificate, name="certificate"),
    path("<slug:slug>/banner.jpg", door_views.banner, name="banner"),
    path("<slug:slug>/programme/", public_views.programme, name="programme"),
    path("<slug:slug>/programme.ics", public_views.programme_ics, name="programme_ics"),
    path("<slug:slug>/participants/", public_views.participants, name="participants"),
]
