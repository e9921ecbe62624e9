from django.urls import path

from cax.units import overview

app_name = "overview"
urlpatterns = [path("<int:pk>/", overview.overview, name="unit")]
