from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from awareness.health.checks import run_checks
from awareness.health.selectors import last_heartbeat

# Without the database nothing can be served. Without Redis (cache, channel layer, broker)
# learners still are, from the database: "degraded" keeps this process in the load balancer.
ESSENTIAL = {"database"}


@never_cache
@require_GET
def healthz(request):
    """Every service checked for real: "ok"; "degraded" (200) when only Redis-backed services
    are away; "down" (503) when the database is, so load balancers take this process out."""
    results = run_checks()
    serving = all(result.ok for result in results if result.name in ESSENTIAL)
    status = "ok" if all(result.ok for result in results) else "degraded" if serving else "down"
    last_tick = last_heartbeat("tick") if serving else None
    body = {
        "status": status,
        "checks": {
            result.name: {"ok": result.ok, "ms": result.milliseconds}
            | ({"error": result.error} if result.error else {})
            for result in results
        },
        # Informational: the scheduler may legitimately be off (tests, a web-only machine).
        "scheduler": {
            "last_tick": last_tick.isoformat() if last_tick else None,
            "seconds_since": round((timezone.now() - last_tick).total_seconds())
            if last_tick
            else None,
        },
    }
    return JsonResponse(body, status=200 if serving else 503)
