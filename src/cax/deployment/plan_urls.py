from django.urls import path

from cax.deployment import plan_views

app_name = "plans"
urlpatterns = [
    path("", plan_views.plan_list, name="list"),
    path("new/", plan_views.plan_create, name="create"),
    path("<int:pk>/", plan_views.plan_detail, name="detail"),
    path("<int:pk>/edit/", plan_views.plan_edit, name="edit"),
    path("<int:pk>/progress/", plan_views.plan_progress, name="progress"),
    path("<int:pk>/action/", plan_views.plan_action, name="action"),
    path("<int:pk>/assignments/<int:assignment_id>/", plan_views.assignment_edit, name="assignment"),
]
