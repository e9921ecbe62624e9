from django.urls import path

from cax.core.records.urls import urlpatterns_for
from cax.procedures import views
from cax.procedures.registers import DECLARATIONS, DOSSIERS

app_name = "procedures"
urlpatterns = [
    *urlpatterns_for(DOSSIERS, "dossiers/"),
    *urlpatterns_for(DECLARATIONS, "declarations/"),
    path("dossiers/<int:pk>/complete/", views.dossier_complete, name="dossier_complete"),
    path("dossiers/<int:pk>/resolve/", views.dossier_resolve, name="dossier_resolve"),
    path("dossiers/<int:pk>/apology/", views.dossier_apologize, name="dossier_apologize"),
    path("figures/", views.figures, name="figures"),
    path("name-reads/", views.identity_reads, name="identity_reads"),
]
