"""Named one-way signals that integrations (webhooks) listen to; senders never depend on them."""

from django.dispatch import Signal

# Sent after commit. Each sender passes organization=<Organization> and
# payload=<dict of JSON values>.
campaign_completed = Signal()
assignment_overdue = Signal()
lure_reported = Signal()
