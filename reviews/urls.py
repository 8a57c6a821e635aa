from django.urls import path

from . import chair_views, decision_views, release_views, views

app_name = "reviews"

REVIEW = "<slug:slug>/<int:year>/review/"
CHAIR = "<slug:slug>/<int:year>/chair/review/"
COMMITTEE = "<slug:slug>/<int:year>/committee/"
DECISIONS = "<slug:slug>/<int:year>/chair/decisions/"

urlpatterns = [
    path(REVIEW, views.assignments, name="assignments"),
    path(REVIEW + "papers/<int:number>/", views.paper, name="paper"),
    path(REVIEW + "papers/<int:number>/pdf/", views.paper_pdf, name="paper_pdf"),
    path(REVIEW + "papers/<int:number>/decline/", views.decline, name="decline"),
    path(REVIEW + "papers/<int:number>/discussion/", views.comment, name="comment"),
    path(COMMITTEE + "papers/<int:number>/", views.paper_reviews, name="paper_reviews"),
    path(COMMITTEE + "ranking/", decision_views.ranking_table, name="ranking"),
    path(COMMITTEE + "ranking.csv", decision_views.ranking_csv, name="ranking_csv"),
    path(COMMITTEE + "papers/<int:number>/decide/", decision_views.decide, name="decide"),
    path(COMMITTEE + "papers/<int:number>/vote/", decision_views.vote, name="vote"),
    path(COMMITTEE + "papers/<int:number>/meta-review/", decision_views.meta_review, name="meta_review"),
    path(DECISIONS + "release/", release_views.release_page, name="release"),
    path(DECISIONS + "outcomes/", release_views.outcomes, name="outcomes"),
    path(DECISIONS + "mails/", release_views.mails, name="decision_mails"),
    path(DECISIONS + "group-mail/", release_views.group_mail, name="group_mail"),
    path("<slug:slug>/<int:year>/papers/<int:number>/decision/", release_views.decision, name="decision"),
    path(REVIEW + "profile/", views.profile, name="profile"),
    path(REVIEW + "bids/", views.bids, name="bids"),
    path(CHAIR + "assignments/", chair_views.assignment_board, name="assignment_board"),
    path(CHAIR + "automatic/", chair_views.auto_assign, name="auto_assign"),
    path(CHAIR + "automatic/<int:pk>/", chair_views.auto_assign_run, name="auto_assign_run"),
    path(CHAIR + "conflicts/", chair_views.conflict_list, name="conflicts"),
    path(CHAIR + "settings/", chair_views.review_settings, name="settings"),
    path(CHAIR + "form/", chair_views.review_form, name="form"),
    path("<slug:slug>/<int:year>/manage/", chair_views.managed_papers, name="managed"),
    path(CHAIR + "conflicts/detect/", chair_views.detect, name="detect_conflicts"),
    path(CHAIR + "conflicts/<int:pk>/dismiss/", chair_views.dismiss, name="dismiss_conflict"),
]
