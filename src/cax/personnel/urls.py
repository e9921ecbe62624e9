from django.urls import path

from cax.deployment import lifecycle_views
from cax.personnel import imports_views, views

app_name = "personnel"
urlpatterns = [
    path("", views.officer_list, name="list"),
    path("<int:pk>/", views.officer_detail, name="detail"),
    path("<int:pk>/postings/", lifecycle_views.posting_add, name="posting_add"),
    path("<int:pk>/transfer/", lifecycle_views.transfer, name="transfer"),
    path("<int:pk>/postings/<int:posting_id>/end/", lifecycle_views.posting_finish, name="posting_end"),
    path("<int:pk>/status/", lifecycle_views.status_change, name="status_change"),
    path("import/", imports_views.officer_import, name="import"),
    path("import/template-<str:kind>.xlsx", imports_views.import_template, name="import_template"),
    path("import/<uuid:batch>/", imports_views.officer_import_preview, name="import_preview"),
]
