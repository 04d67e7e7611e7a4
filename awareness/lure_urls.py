"""The URLs a lure host answers (LURE_HOSTS): the lure pages and nothing else. Its error
pages are bare too: the training site's would name and link it."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.csrf import csrf_failure as site_csrf_failure

from training.campaigns.views.simulations import lure_urlpatterns

urlpatterns = [path("s/", include(lure_urlpatterns))]


def _bare(status: int, text: str):
    def view(request, exception=None):
        return HttpResponse(f"{text}\n", status=status, content_type="text/plain")

    return view


handler400 = _bare(400, "Bad request")
handler403 = _bare(403, "Forbidden")
handler404 = _bare(404, "Not found")
handler500 = _bare(500, "Server error")


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: bare on a lure host (the site's page names and links the site)."""
    if getattr(request, "urlconf", None) == __name__:
        return handler403(request)
    return site_csrf_failure(request, reason)
