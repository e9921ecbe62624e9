from django.urls import path

from cax.core.records.urls import urlpatterns_for
from cax.facilities import views
from cax.facilities.registers import EQUIPMENT, HEADQUARTERS, STANDARDS

app_name = "facilities"
urlpatterns = [
    # Before the register patterns, so "missing" and "gaps" are not read as record ids.
    path("headquarters/missing/", views.headquarters_missing, name="headquarters_missing"),
    path("equipment/gaps/", views.equipment_gaps, name="equipment_gaps"),
    path("equipment/<int:pk>/events/", views.event_add, name="equipment_event_add"),
    *urlpatterns_for(HEADQUARTERS, "headquarters/"),
    *urlpatterns_for(EQUIPMENT, "equipment/"),
    *urlpatterns_for(STANDARDS, "standards/"),
]
