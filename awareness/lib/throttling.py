"""Rate limits for public forms and codes: over the limit, the page answers 429, says when to
try again, and changes nothing.

They fail closed: while the cache that counts them is unreachable, every limited form and code
answers 429 (django-ratelimit's RATELIMIT_FAIL_OPEN stays off), so an outage never opens the
door to guessing. Pages with no limit (the catalogue, modules, the museum) keep working."""

import math
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import Http404
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import get_usage


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


def _usage(request, group: str, rate_setting: str, methods, *, increment: bool) -> dict | None:
    return get_usage(
        request,
        group=group,
        key=lambda _group, request: client_address(request),
        rate=getattr(settings, rate_setting),
        method=methods,
        increment=increment,
    )


def counting() -> bool:
    """False while the rate limits' cache is unreachable (it then answers every read with 0)."""
    return getattr(caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")], "reachable", True)


def too_many_requests(request, usage: dict, *, wrong_codes: bool = False):
    """The 429 page, with the minutes until the window ends (and Retry-After for machines)."""
    seconds = max(1, usage["time_left"])
    response = render(
        request,
        "429.html",
        {
            "retry_minutes": math.ceil(seconds / 60),
            "wrong_codes": wrong_codes,
            "paused": not counting(),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def throttle_posts(group: str, rate_setting: str, methods: tuple = ("POST",)) -> Callable:
    """Limit requests (POSTs unless told) per client address to the rate named by
    `rate_setting` (e.g. "10/h")."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            usage = _usage(request, group, rate_setting, list(methods), increment=True)
            if usage and usage["should_limit"]:
                return too_many_requests(request, usage)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def throttle_wrong_codes(group: str, rate_setting: str) -> Callable:
    """Count the codes a client gets wrong (the view raised Http404) and, past the rate named
    by `rate_setting`, refuse every code from that address until the window ends: guessing a
    class code or a live PIN stops long before it could succeed."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            usage = _usage(request, group, rate_setting, ALL, increment=False)
            if usage and (usage["count"] >= usage["limit"] or not counting()):
                return too_many_requests(request, usage, wrong_codes=True)
            try:
                return view(request, *args, **kwargs)
            except Http404:
                _usage(request, group, rate_setting, ALL, increment=True)
                raise

        return wrapped

    return decorator
