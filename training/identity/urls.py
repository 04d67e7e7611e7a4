from training.identity.views import urlpatterns

__all__ = ["urlpatterns"]
