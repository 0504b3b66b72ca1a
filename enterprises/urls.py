from django.urls import path

from . import views

urlpatterns = [
    path("", views.enterprise_list, name="enterprises-list"),
    path("export/", views.enterprise_export, name="enterprises-export"),
    path("mine/", views.my_enterprise, name="enterprises-mine"),
    path("<int:enterprise_id>/", views.enterprise_detail, name="enterprises-detail"),
    path("import/", views.import_upload, name="enterprises-import"),
    path("import/template/<slug:kind>/", views.import_template, name="enterprises-import-template"),
    path("import/<int:job_id>/", views.import_job, name="enterprises-import-job"),
    path("import/<int:job_id>/status/", views.import_job_status, name="enterprises-import-status"),
    path("import/<int:job_id>/report/", views.import_job_report, name="enterprises-import-report"),
]
