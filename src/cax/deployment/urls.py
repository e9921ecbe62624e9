from django.urls import path

from cax.deployment import views

app_name = "deployment"
urlpatterns = [
    path("<int:pk>/", views.staffing_dashboard, name="staffing"),
    path("<int:pk>/leader/", views.leader_dashboard, name="leader"),
]
