from django.urls import path

from cax.core.records.urls import urlpatterns_for
from cax.pairing import views
from cax.pairing.registers import PAIRINGS

app_name = "pairing"
urlpatterns = [
    *urlpatterns_for(PAIRINGS, "pairings/"),
    path("<int:pk>/", views.department_page, name="department"),
]
