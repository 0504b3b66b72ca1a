from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="notifications-inbox"),
    path("read-all/", views.notification_read_all, name="notifications-read-all"),
    path("<int:notification_id>/open/", views.notification_open, name="notifications-open"),
]
