from django.urls import path

from cax.cases import views

app_name = "cases"
urlpatterns = [
    path("unit/<int:pk>/", views.case_list, name="list"),
    path("unit/<int:pk>/new/", views.case_register, name="register"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/receipt.pdf", views.receipt_record, name="receipt_record"),
    path("<int:pk>/duplicate/", views.mark_duplicate, name="mark_duplicate"),
    path("<int:pk>/procuracy/", views.send_to_procuracy, name="send_to_procuracy"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("identity-access/", views.identity_access_log, name="identity_access"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
