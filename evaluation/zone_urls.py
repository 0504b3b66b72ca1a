"""The short addresses enterprise codes open: /z/<token>/ (mounted at the top level in config/urls.py)."""

from django.urls import path

from . import zone_views

urlpatterns = [
    path("<str:token>/", zone_views.zone_home, name="zone-home"),
    path("<str:token>/<slug:module_code>/", zone_views.zone_open, name="zone-open"),
]
