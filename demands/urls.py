from django.urls import path

from . import views

urlpatterns = [
    path("<int:demand_id>/", views.demand_detail, name="demands-detail"),
]
