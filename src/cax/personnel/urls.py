from django.urls import path

from cax.personnel import imports_views, views

app_name = "personnel"
urlpatterns = [
    path("", views.officer_list, name="list"),
    path("<int:pk>/", views.officer_detail, name="detail"),
    path("import/", imports_views.officer_import, name="import"),
    path("import/template-<str:kind>.xlsx", imports_views.import_template, name="import_template"),
    path("import/<uuid:batch>/", imports_views.officer_import_preview, name="import_preview"),
]
