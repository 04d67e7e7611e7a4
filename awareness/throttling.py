"""Rate limits for public forms: over the limit, the form answers 429 and changes nothing."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def client_address(request) -> str:
    """REMOTE_ADDR, or behind PROXY_COUNT trusted proxies the address the outermost one saw.

    Counted from the right of X-Forwarded-For, so a client cannot choose its own address.
    """
    if settings.PROXY_COUNT:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= settings.PROXY_COUNT:
            return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


def throttle_posts(group: str, rate_setting: str, methods: tuple = ("POST",)) -> Callable:
    """Limit requests (POSTs unless told) per client address to the rate named by
    `rate_setting` (e.g. "10/h")."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and is_ratelimited(
                request,
                group=group,
                key=lambda _group, request: client_address(request),
                rate=getattr(settings, rate_setting),
                method=list(methods),
                increment=True,
            ):
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
