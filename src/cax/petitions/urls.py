from cax.petitions import views  # noqa: F401

app_name = "petitions"
urlpatterns: list = []
