from django.urls import path

from . import views

urlpatterns = [
    path("", views.demand_list, name="demands-list"),
    path("export/", views.demand_export, name="demands-export"),
    path("bulk-route/", views.demand_bulk_route, name="demands-bulk-route"),
    path("new/", views.demand_new, name="demands-new"),
    path("new/enterprises/", views.enterprise_search, name="demands-enterprise-search"),
    path("submit/", views.demand_submit, name="demands-submit"),
    path("mine/", views.my_demands, name="demands-mine"),
    path("tracking/", views.tracking_list, name="demands-tracking"),
    path("tracking/export/", views.tracking_export, name="demands-tracking-export"),
    path("close-out/", views.closeout_list, name="demands-closeout"),
    path("close-out/export/", views.closeout_export, name="demands-closeout-export"),
    path("figures/", views.figures_dashboard, name="demands-figures"),
    path("files/<int:attachment_id>/", views.attachment_download, name="demands-attachment"),
    path("<int:demand_id>/", views.demand_detail, name="demands-detail"),
    path("<int:demand_id>/files/", views.demand_attach, name="demands-attach"),
    path("<int:demand_id>/<slug:action>/", views.demand_act, name="demands-act"),
]
