from django.urls import path

from cax.core.records.views import record_edit, record_import, record_import_preview, record_import_template
from cax.supervision import views
from cax.supervision.registers import FILES

app_name = "supervision"
kw = {"register": FILES}
urlpatterns = [
    # The records framework's create and import; the list, the file's page and its edit form are
    # this app's own (names need a reason to open, an export a reason too).
    path("files/", views.file_list, kw, name="file_list"),
    path("files/new/", record_edit, kw, name="file_create"),
    path("files/<int:pk>/", views.file_detail, kw, name="file_detail"),
    path("files/<int:pk>/edit/", views.file_edit, kw, name="file_edit"),
    path("files/import/", record_import, kw, name="file_import"),
    path("files/import/<uuid:batch>/", record_import_preview, kw, name="file_import_preview"),
    path("files/import/template.xlsx", record_import_template, kw, name="file_import_template"),
    path("files/<int:pk>/events/<slug:kind>/", views.event_record, name="event_record"),
    path("files/<int:pk>/move/", views.handover_send, name="handover_send"),
    path("handovers/", views.handover_list, name="handover_list"),
    path("handovers/<int:pk>/accept/", views.handover_accept, name="handover_accept"),
    path("figures/", views.figures, name="figures"),
    path("overdue/", views.overdue, name="overdue"),
    path("access-log/", views.access_log, name="access_log"),
]
