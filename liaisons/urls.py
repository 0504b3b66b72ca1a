from django.urls import path

from .views import assignments, conditions, coverage, visits

urlpatterns = [
    path("", visits.unvisited_list, name="liaisons-unvisited"),
    path("unvisited/export/", visits.unvisited_export, name="liaisons-unvisited-export"),
    path("visits/", visits.visit_list, name="liaisons-visits"),
    path("visits/export/", visits.visit_export, name="liaisons-visits-export"),
    path("visits/new/", visits.visit_new, name="liaisons-visit-new"),
    path("visits/<int:visit_id>/", visits.visit_detail, name="liaisons-visit-detail"),
    path("visits/<int:visit_id>/problems/", visits.visit_add_problem, name="liaisons-visit-add-problem"),
    path("visits/<int:visit_id>/photos/", visits.visit_add_photos, name="liaisons-visit-add-photos"),
    path("photos/<int:photo_id>/", visits.photo_view, name="liaisons-photo"),
    path("enterprises/search/", visits.enterprise_search, name="liaisons-enterprise-search"),
    path("visited/", visits.visited_list, name="liaisons-visited"),
    path("visited/export/", visits.visited_export, name="liaisons-visited-export"),
    path("problems/", visits.problem_list, name="liaisons-problems"),
    path("problems/export/", visits.problem_export, name="liaisons-problems-export"),
    path("conditions/", conditions.condition_list, name="liaisons-conditions"),
    path("conditions/export/", conditions.condition_export, name="liaisons-conditions-export"),
    path("coverage/", coverage.coverage_page, name="liaisons-coverage"),
    path("assignments/", assignments.assignment_board, name="liaisons-assignments"),
    path("assignments/hand/", assignments.assign_by_hand, name="liaisons-assign-hand"),
    path("assignments/rule/", assignments.assign_by_rule, name="liaisons-assign-rule"),
    path("assignments/import/", assignments.assignment_import, name="liaisons-import"),
    path("assignments/import/template/", assignments.import_template, name="liaisons-import-template"),
    path("assignments/<int:assignment_id>/end/", assignments.assignment_end, name="liaisons-assignment-end"),
    path("enterprises/<int:enterprise_id>/", assignments.enterprise_history, name="liaisons-history"),
]
