"""Named one-way signals that integrations (webhooks) listen to; senders never depend on them."""

from django.dispatch import Signal

# Sent after commit. Each sender passes organization=<Organization> and payload=<dict of JSON
# values>, and may pass key=<str> naming the event: a repeat with the same key is dropped
# (without a key, an identical payload is the same event).
campaign_completed = Signal()
assignment_overdue = Signal()
lure_reported = Signal()
