from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from training.api.routers import organization, top
from training.api.views.errors import not_found

urlpatterns = [
    path("v1/", include(top.urls)),
    path("v1/orgs/<slug:org>/", include(organization.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else below /api/ is a 404 in the API's error shape, not an HTML page.
    re_path(r"^.*$", not_found),
]
