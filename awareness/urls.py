from django.contrib import admin
from django.urls import include, path

from awareness.health.views import healthz
from training.campaigns.views.simulations import public_urlpatterns as simulation_public_urls

urlpatterns = [
    path("", include("awareness.site.urls")),
    path("accounts/", include("training.people.urls")),
    path("orgs/", include("awareness.urls_orgs")),
    path("", include("training.people.urls_public")),
    path("", include("awareness.safety.urls")),
    path("", include("training.privacy.urls")),
    path("live/", include("training.live.urls")),
    path("s/", include(simulation_public_urls)),
    path("api/", include("training.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
