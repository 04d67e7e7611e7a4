"""The URLs a lure host answers (LURE_HOSTS): the lure pages and nothing else. Its error
pages are bare too: the training site's would name and link it."""

from django.http import HttpResponse
from django.urls import include, path

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
