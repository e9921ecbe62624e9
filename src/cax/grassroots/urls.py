from cax.grassroots import views  # noqa: F401

app_name = "grassroots"
urlpatterns: list = []
