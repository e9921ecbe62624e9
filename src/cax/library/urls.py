from django.urls import path

from cax.core.records.urls import urlpatterns_for
from cax.library import views
from cax.library.registers import DOCUMENTS

app_name = "library"
urlpatterns = [
    *urlpatterns_for(DOCUMENTS, "documents/"),
    path("documents/<int:pk>/file/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/acknowledge/", views.document_acknowledge, name="document_acknowledge"),
    path("documents/<int:pk>/unread/", views.document_unread, name="document_unread"),
    path("pending/", views.pending, name="pending"),
]
