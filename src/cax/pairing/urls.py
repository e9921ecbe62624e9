from cax.core.records import urlpatterns_for
from cax.pairing.registers import PAIRINGS

app_name = "pairing"
urlpatterns = [*urlpatterns_for(PAIRINGS, "pairings/")]
