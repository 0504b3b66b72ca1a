from django.urls import path

from . import views

urlpatterns = [
    path("similar/", views.similar_demands, name="intelligence-similar"),
]
