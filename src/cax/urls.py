from django.urls import include, path

from cax.api.main import api
from cax.core import views as core_views
from cax.core.reference_admin import register_all
from cax.core.reference_admin import site as reference_site

register_all()

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("search/", core_views.search, name="search"),
    path("accounts/", include("cax.accounts.urls")),
    path("units/", include("cax.units.urls")),
    path("staffing/", include("cax.deployment.urls")),
    path("plans/", include("cax.deployment.plan_urls")),
    path("officers/", include("cax.personnel.urls")),
    path("cases/", include("cax.cases.urls")),
    path("reports/", include("cax.reports.urls")),
    path("overview/", include("cax.units.overview_urls")),
    path("grassroots/", include("cax.grassroots.urls")),
    path("facilities/", include("cax.facilities.urls")),
    path("petitions/", include("cax.petitions.urls")),
    path("procedures/", include("cax.procedures.urls")),
    path("honours/", include("cax.honours.urls")),
    path("movement/", include("cax.movement.urls")),
    path("training/", include("cax.training.urls")),
    path("library/", include("cax.library.urls")),
    path("departments/", include("cax.pairing.urls")),
    path("supervision/", include("cax.supervision.urls")),
    path("regimes/", include("cax.regimes.urls")),
    path("notices/", include("cax.notices.urls")),
    path("changelog/", core_views.changelog_list, name="changelog"),
    path("jobs/<uuid:job>/", core_views.job_detail, name="job_detail"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("reference/", reference_site.urls),
]
