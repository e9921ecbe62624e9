from django.urls import path

from cax.core.records.urls import urlpatterns_for
from cax.honours import views
from cax.honours.registers import CAMPAIGNS, CASUALTIES, COMMENDATIONS

app_name = "honours"
urlpatterns = [
    path("casualties/summary/", views.casualty_summary_view, name="casualty_summary"),
    *urlpatterns_for(CASUALTIES, "casualties/"),
    *urlpatterns_for(COMMENDATIONS, "commendations/"),
    *urlpatterns_for(CAMPAIGNS, "campaigns/"),
]
