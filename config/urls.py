from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from conference import help as conference_help
from conference import views as conference_views
from hub.sitemaps import HubHomeSitemap, HubSitemap

admin.site.site_header = "Convene"
admin.site.site_title = "Convene"
# The admin's own password-only form would skip two-factor sign-in and the rate limit.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", conference_views.home, name="home"),
    path("help/", conference_help.help_index, name="help"),
    path("help/<slug:role>/", conference_help.help_page, name="help_role"),
    path("calls/", include("submissions.urls")),
    path("calls/", include("reviews.urls")),
    path("calls/", include("conference.urls")),
    path("", include("hub.urls")),
    path("events/", include("events.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"hub": HubHomeSitemap, "papers": HubSitemap}}, name="sitemap"),
    path("accounts/", include("allauth.urls")),
    path("profile/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
