from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("accounts.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("audit/", include("audit.urls")),
    path("demands/", include("demands.urls")),
    path("notifications/", include("notifications.urls")),
    path("proposals/", include("proposals.urls")),
    path("policies/", include("policies.urls")),
    path("markets/", include("markets.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("intelligence/", include("intelligence.urls")),
    path("z/", include("evaluation.zone_urls")),
    path("liaisons/", include("liaisons.urls")),
    path("briefings/", include("briefings.urls")),
    path("i18n/setlang/", set_language, name="set-language"),
    path("admin/", admin.site.urls),
]
