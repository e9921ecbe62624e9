from django.urls import path

from cax.core.records.urls import urlpatterns_for
from cax.training import views
from cax.training.registers import COURSES, PARTICIPANTS

app_name = "training"
urlpatterns = [
    *urlpatterns_for(COURSES, "courses/"),
    *urlpatterns_for(PARTICIPANTS, "participants/"),
    path("officers/<int:officer_id>/", views.officer_history, name="officer_history"),
]
