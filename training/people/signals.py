"""What the people pages announce to the apps above, which react; people imports none of them."""

from django.dispatch import Signal

# Sent by the sign-up and log-in pages right after signing the person in, with request= and
# user=: progress moves what this browser played anonymously to the account.
signed_in_on_this_browser = Signal()
