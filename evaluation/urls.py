from django.urls import path

from . import views, zone_views

urlpatterns = [
    path("", views.evaluation_home, name="evaluation-home"),
    path("schemes/<int:scheme_id>/start/", views.round_start, name="evaluation-round-start"),
    path("rounds/<int:round_id>/", views.round_detail, name="evaluation-round"),
    path("rounds/<int:round_id>/step/", views.round_step, name="evaluation-round-step"),
    path("rounds/<int:round_id>/results/", views.result_list, name="evaluation-results"),
    path("rounds/<int:round_id>/results/export/", views.result_export, name="evaluation-results-export"),
    path("rounds/<int:round_id>/summary/", views.summary, name="evaluation-summary"),
    path("results/<int:result_id>/", views.result_detail, name="evaluation-result"),
    path("results/<int:result_id>/step/", views.result_step, name="evaluation-result-step"),
    path("objections/<int:objection_id>/handle/", views.objection_handle, name="evaluation-objection-handle"),
    path("mine/", views.my_evaluation, name="evaluation-mine"),
    path("low-efficiency/", views.low_efficiency, name="evaluation-low-efficiency"),
    path("rankings/", zone_views.ranking_list, name="evaluation-rankings"),
    path("zone/", zone_views.zone_mine, name="zone-mine"),
    path("zone/<int:enterprise_id>/qr.svg", zone_views.zone_qr, name="zone-qr"),
    path("zone/sheet/", zone_views.zone_sheet, name="zone-sheet"),
    path("zone/usage/", zone_views.zone_usage, name="zone-usage"),
    path("zone/modules/<int:module_id>/toggle/", zone_views.zone_module_toggle, name="zone-module-toggle"),
    path("appointments/", zone_views.appointment_list, name="appointments-list"),
    path("appointments/book/", zone_views.appointment_book, name="appointments-book"),
    path("appointments/slots/", zone_views.slot_offer, name="appointments-slot-offer"),
    path("appointments/<int:appointment_id>/answer/", zone_views.appointment_answer, name="appointments-answer"),
]
