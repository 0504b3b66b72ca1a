from django.urls import path

from . import views

urlpatterns = [
    path("", views.policy_list, name="policies-list"),
    path("checkup/", views.my_checkup, name="policies-checkup"),
    path("checkup/<int:enterprise_id>/", views.enterprise_checkup, name="policies-enterprise-checkup"),
    path("calculator/", views.policy_calculator, name="policies-calculator"),
    path("push/", views.weekly_push, name="policies-push"),
    path("<slug:code>/", views.policy_detail, name="policies-detail"),
    path("<slug:code>/simulation/", views.budget_simulation, name="policies-simulation"),
    path("<slug:code>/versions/new/", views.version_new, name="policies-version-new"),
    path("<slug:code>/versions/<int:number>/publish/", views.version_publish, name="policies-version-publish"),
]
