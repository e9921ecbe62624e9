from cax.pairing import views  # noqa: F401

app_name = "pairing"
urlpatterns: list = []
