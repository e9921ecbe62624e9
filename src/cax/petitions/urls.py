from django.urls import path

from cax.core.records.urls import urlpatterns_for
from cax.petitions import views
from cax.petitions.registers import CONFERENCES, PETITIONS

app_name = "petitions"
urlpatterns = [
    *urlpatterns_for(PETITIONS, "requests/"),
    *urlpatterns_for(CONFERENCES, "conferences/"),
    path("requests/<int:pk>/assign/", views.petition_assign, name="petition_assign"),
    path("requests/<int:pk>/answer/", views.petition_answer, name="petition_answer"),
    path("requests/<int:pk>/remind/", views.petition_remind, name="petition_remind"),
]
