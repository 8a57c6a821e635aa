from django.urls import path

from . import api, feeds, oai, policy, views

app_name = "hub"

urlpatterns = [
    path("oai", oai.endpoint, name="oai"),
    path("hub/", views.home, name="home"),
    path("hub/search/", views.search_page, name="search"),
    path("hub/statistics/", views.stats, name="stats"),
    path("hub/policy/sdg/<int:goal>/", policy.page, name="policy_goal"),
    path("hub/policy/sdg/<int:goal>/brief.pdf", policy.brief, name="policy_goal_brief"),
    path("hub/policy/<slug:slug>/<int:year>/", policy.page, name="policy_call"),
    path("hub/policy/<slug:slug>/<int:year>/brief.pdf", policy.brief, name="policy_call_brief"),
    path("hub/api/publications/", api.publications, name="api_publications"),
    path("hub/api/publications/<int:number>/", api.publication, name="api_publication"),
    path("hub/api/openapi.json", api.openapi, name="api_openapi"),
    path("hub/feed/", feeds.AllPapers(), name="feed"),
    path("hub/feed/sdg/<int:goal>/", feeds.PapersOnGoal(), name="feed_goal"),
    path("hub/feed/<slug:slug>/<int:year>/", feeds.PapersFromCall(), name="feed_call"),
    path("hub/papers/<int:number>/", views.paper, name="paper_by_number"),
    path("hub/papers/<int:number>/pdf/", views.pdf, name="pdf"),
    path("hub/papers/<int:number>/cite.<str:file_format>", views.cite, name="cite"),
    path("hub/papers/<int:number>/<slug:slug>/", views.paper, name="paper"),
    path("calls/<slug:slug>/<int:year>/chair/publish/", views.publish, name="publish"),
    path("calls/<slug:slug>/<int:year>/chair/publish/<int:number>/", views.manage, name="manage"),
]
