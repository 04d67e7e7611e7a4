"""Shared set-up of the simulation tests: a bank with a verified domain and the library."""

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from training.campaigns import services
from training.campaigns.models import SendingPolicy, SimulationTemplate
from training.people.models import VerifiedDomain

DEMO_PACK = settings.CONTENT_PACKS_DIR / "demo"


def verify(organization, domain: str = "example.org") -> VerifiedDomain:
    now = timezone.now()
    return VerifiedDomain.objects.create(
        organization=organization, domain=domain, method="dns", requested_at=now, verified_at=now
    )


def load_library() -> None:
    call_command("load_simulations", str(DEMO_PACK))


def template(slug: str) -> SimulationTemplate:
    return SimulationTemplate.objects.get(organization=None, slug=slug)


def unpaced(organization) -> None:
    SendingPolicy.objects.update_or_create(
        organization=organization, defaults={"per_minute": 0, "per_day": 0}
    )


def send_due(now, capture) -> int:
    """One tick's claim, then the delivery batches, as the worker would run them."""
    with capture(execute=False):
        batches = services.claim_due_notifications(now=now)
    return sum(services.deliver(batch) for batch in batches)
