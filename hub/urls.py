from django.urls import path

from . import views

app_name = "hub"

urlpatterns = [
    path("hub/", views.home, name="home"),
    path("hub/papers/<int:number>/", views.paper, name="paper_by_number"),
    path("hub/papers/<int:number>/pdf/", views.pdf, name="pdf"),
    path("hub/papers/<int:number>/<slug:slug>/", views.paper, name="paper"),
    path("calls/<slug:slug>/<int:year>/chair/publish/", views.publish, name="publish"),
]
