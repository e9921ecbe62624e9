from cax.training import views  # noqa: F401

app_name = "training"
urlpatterns: list = []
