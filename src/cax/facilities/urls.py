from cax.facilities import views  # noqa: F401

app_name = "facilities"
urlpatterns: list = []
