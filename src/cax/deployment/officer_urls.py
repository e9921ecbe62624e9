"""The posting decisions on an officer's page (/officers/<pk>/…): included into personnel's URL conf
through ``core.registry`` (deployment.apps), so their names stay ``personnel:posting_add`` and so on."""

from django.urls import path

from cax.deployment import lifecycle_views

urlpatterns = [
    path("<int:pk>/postings/", lifecycle_views.posting_add, name="posting_add"),
    path("<int:pk>/transfer/", lifecycle_views.transfer, name="transfer"),
    path("<int:pk>/postings/<int:posting_id>/end/", lifecycle_views.posting_finish, name="posting_end"),
    path("<int:pk>/status/", lifecycle_views.status_change, name="status_change"),
]
