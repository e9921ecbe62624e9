from django.urls import path

from cax.units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("pick/", views.unit_pick, name="pick"),
    path("import/", views.unit_import, name="import"),
    path("import/template.xlsx", views.unit_import_template, name="import_template"),
    path("import/<uuid:batch>/", views.unit_import_preview, name="import_preview"),
]
