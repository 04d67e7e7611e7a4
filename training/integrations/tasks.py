from celery import shared_task

from training.integrations import services


@shared_task(acks_late=True)
def deliver_statements(statement_ids: list[int]) -> None:
    """Sends a claimed batch to the LRS; failures wait in the database (not_before), and a
    resend is harmless: the LRS keeps one statement per id."""
    services.deliver_statements(statement_ids)


@shared_task(acks_late=True)
def deliver_webhooks(delivery_ids: list[int]) -> None:
    """Sends a claimed batch of webhook deliveries; failures wait in the database."""
    services.deliver_webhooks(delivery_ids)
