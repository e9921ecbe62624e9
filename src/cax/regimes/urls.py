from django.urls import path

from cax.core.records.urls import urlpatterns_for
from cax.regimes import views
from cax.regimes.registers import AREAS, RATES

app_name = "regimes"
urlpatterns = [
    path("", views.monthly, name="monthly"),
    path("rotation/", views.rotation, name="rotation"),
    *urlpatterns_for(RATES, "rates/"),
    *urlpatterns_for(AREAS, "areas/"),
]
