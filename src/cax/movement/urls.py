from django.urls import path

from cax.core.records.urls import urlpatterns_for
from cax.movement import views
from cax.movement.registers import (
    ASSESSMENTS,
    EVALUATIONS,
    EXAMPLES,
    MODELS,
    RATINGS,
    REGISTRATIONS,
    REPLICATIONS,
)

app_name = "movement"
urlpatterns = [
    *urlpatterns_for(MODELS, "models/"),
    *urlpatterns_for(REPLICATIONS, "replications/"),
    *urlpatterns_for(EVALUATIONS, "evaluations/"),
    *urlpatterns_for(EXAMPLES, "examples/"),
    *urlpatterns_for(REGISTRATIONS, "registrations/"),
    *urlpatterns_for(ASSESSMENTS, "assessments/"),
    *urlpatterns_for(RATINGS, "ratings/"),
    path("ratings/unrated/", views.unrated, name="unrated"),
]
