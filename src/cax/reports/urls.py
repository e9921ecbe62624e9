from django.urls import path

from cax.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("unit/<int:pk>/", views.unit_overview, name="unit"),
    path("unit/<int:pk>/<slug:form_code>/<str:period_key>/", views.entry, name="entry"),
    path("unit/<int:pk>/<slug:form_code>/<str:period_key>/unlock/", views.lock_exception, name="lock_exception"),
    path("unit/<int:pk>/submissions/", views.submission_list, name="submissions"),
    path("unit/<int:pk>/completeness/", views.completeness, name="completeness"),
    path("unit/<int:pk>/rollup/", views.rollup, name="rollup"),
    path("unit/<int:pk>/export/", views.exchange_export, name="exchange_export"),
    path("<int:pk>/", views.submission_detail, name="detail"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/print.pdf", views.submission_pdf, name="print"),
    path("issued/<int:pk>.pdf", views.issued_pdf, name="issued_pdf"),
    path("exchange/", views.exchange_upload, name="exchange"),
    path("exchange/<uuid:batch_uuid>/", views.exchange_preview, name="exchange_preview"),
]
