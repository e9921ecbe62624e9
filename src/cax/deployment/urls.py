from django.urls import path

from cax.deployment import views

app_name = "deployment"
urlpatterns = [
    path("<int:pk>/", views.staffing_dashboard, name="staffing"),
]
