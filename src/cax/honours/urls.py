from cax.honours import views  # noqa: F401

app_name = "honours"
urlpatterns: list = []
