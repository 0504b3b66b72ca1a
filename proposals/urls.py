from django.urls import path

from . import views

urlpatterns = [
    path("", views.proposal_list, name="proposals-list"),
    path("export/", views.proposal_export, name="proposals-export"),
    path("register/", views.proposal_register, name="proposals-register"),
    path("<int:proposal_id>/", views.proposal_detail, name="proposals-detail"),
    path("<int:proposal_id>/letter/", views.letter_edit, name="proposals-letter"),
    path("<int:proposal_id>/letter/download/", views.letter_download, name="proposals-letter-download"),
]
