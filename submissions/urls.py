from django.urls import path

from . import chair_views, views

app_name = "submissions"

PAPER = "<slug:slug>/<int:year>/papers/<int:number>/"
CHAIR = "<slug:slug>/<int:year>/chair/submissions/"

urlpatterns = [
    path("papers/", views.mine, name="mine"),
    path("papers/claim/<str:token>/", views.claim, name="claim"),
    path("<slug:slug>/<int:year>/submit/", views.new, name="new"),
    path(PAPER, views.detail, name="detail"),
    path(PAPER + "edit/<str:step>/", views.step, name="step"),
    path(PAPER + "submit/", views.confirm, name="confirm"),
    path(PAPER + "withdraw/", views.withdraw, name="withdraw"),
    path(PAPER + "final/", views.final, name="final"),
    path(PAPER + "final/check/", chair_views.final_check, name="final_check"),
    path(PAPER + "files/<str:kind>/<int:version>/", views.document, name="document"),
    path(PAPER + "answers/<int:question>/", views.answer_file, name="answer_file"),
    path(PAPER + "desk-reject/", chair_views.desk_reject, name="desk_reject"),
    path(PAPER + "extension/", chair_views.extension, name="extension"),
    path(PAPER + "grant-withdrawal/", chair_views.grant_withdrawal, name="grant_withdrawal"),
    path(CHAIR, chair_views.submission_list, name="chair_list"),
    path(CHAIR + "export.<str:file_format>", chair_views.export, name="export"),
    path(CHAIR + "archive/", chair_views.start_archive, name="start_archive"),
    path(CHAIR + "archive/<int:pk>/", chair_views.archive, name="archive"),
    path(CHAIR + "archive/<int:pk>/download/", chair_views.archive_download, name="archive_download"),
]
