from django.urls import path

from . import views

urlpatterns = [
    path("operations/", views.operations, name="audit-operations"),
    path("operations/export/", views.operations_export, name="audit-operations-export"),
    path("logins/", views.logins, name="audit-logins"),
    path("logins/export/", views.logins_export, name="audit-logins-export"),
]
