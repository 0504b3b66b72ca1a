from django.urls import path

from . import views

urlpatterns = [
    path("", views.policy_list, name="policies-list"),
    path("checkup/", views.my_checkup, name="policies-checkup"),
    path("checkup/<int:enterprise_id>/", views.enterprise_checkup, name="policies-enterprise-checkup"),
    path("calculator/", views.policy_calculator, name="policies-calculator"),
    path("push/", views.weekly_push, name="policies-push"),
    path("facts/import/", views.facts_import, name="policies-facts-import"),
    path("payouts/", views.payout_list, name="policies-payouts"),
    path("payouts/<int:batch_id>/", views.payout_batch, name="policies-payout-batch"),
    path("payouts/<int:batch_id>/export/", views.payout_export, name="policies-payout-export"),
    path("payouts/<int:batch_id>/approve/", views.payout_approve, name="policies-payout-approve"),
    path("payouts/<int:batch_id>/lines/<int:line_id>/", views.payout_decide, name="policies-payout-decide"),
    path("<slug:code>/payouts/generate/", views.payout_generate, name="policies-payout-generate"),
    path("<slug:code>/", views.policy_detail, name="policies-detail"),
    path("<slug:code>/simulation/", views.budget_simulation, name="policies-simulation"),
    path("<slug:code>/versions/new/", views.version_new, name="policies-version-new"),
    path("<slug:code>/versions/<int:number>/publish/", views.version_publish, name="policies-version-publish"),
]
