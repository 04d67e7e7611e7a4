"""What progress announces to the apps above it, which react; progress imports none of them."""

from django.dispatch import Signal

# Sent inside the transaction that records a finished attempt of an account, so what the
# receivers write commits or rolls back with it. Receivers get attempt=<Attempt>.
attempt_completed = Signal()
