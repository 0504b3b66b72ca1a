from django.urls import path

from . import views

urlpatterns = [
    path("", views.archive, name="briefings-archive"),
    path("generate/", views.generate, name="briefings-generate"),
    path("dashboard/", views.dashboard_page, name="briefings-dashboard"),
    path("<int:issue_id>/", views.issue_page, name="briefings-issue"),
    path("<int:issue_id>/status/", views.issue_status, name="briefings-status"),
    path("<int:issue_id>/word/", views.issue_word, name="briefings-word"),
    path("<int:issue_id>/pdf/", views.issue_pdf, name="briefings-pdf"),
    path("<int:issue_id>/records/<slug:key>/", views.record_list, name="briefings-records"),
]
