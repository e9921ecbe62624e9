from cax.core.records.urls import urlpatterns_for
from cax.grassroots.registers import ALLOWANCES, CRITERIA, MEMBERS, TEAMS

app_name = "grassroots"
urlpatterns = [
    *urlpatterns_for(TEAMS, "teams/"),
    *urlpatterns_for(MEMBERS, "members/"),
    *urlpatterns_for(ALLOWANCES, "allowances/"),
    *urlpatterns_for(CRITERIA, "criteria/"),
]
