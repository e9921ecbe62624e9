from django.urls import include, path

from cax.core.registry import registry
from cax.personnel import imports_views, views

app_name = "personnel"
urlpatterns = [
    path("", views.officer_list, name="list"),
    path("<int:pk>/", views.officer_detail, name="detail"),
    path("import/", imports_views.officer_import, name="import"),
    path("import/template-<str:kind>.xlsx", imports_views.import_template, name="import_template"),
    path("import/<uuid:batch>/", imports_views.officer_import_preview, name="import_preview"),
    # What other apps add to an officer's page (deployment: postings, transfers, status changes).
    *[path("", include(part.urls)) for part in registry.parts_of("officer") if part.urls],
]
