from training.identity.views import org_urlpatterns as urlpatterns

__all__ = ["urlpatterns"]
