from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from awareness.health.checks import run_checks
from awareness.health.selectors import last_heartbeat


@never_cache
@require_GET
def healthz(request):
    """Every service checked for real; 503 when any is down so load balancers take us out."""
    results = run_checks()
    healthy = all(result.ok for result in results)
    last_tick = last_heartbeat("tick")
    body = {
        "status": "ok" if healthy else "unavailable",
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
    return JsonResponse(body, status=200 if healthy else 503)
