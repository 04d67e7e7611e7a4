from django.contrib import admin
from django.urls import include, path

from awareness.health.views import healthz

urlpatterns = [
    path("", include("awareness.site.urls")),
    path("accounts/", include("training.people.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
