"""Progress reacts to the sign-up and log-in pages: what the browser played anonymously moves
to the account."""

from django.contrib import messages
from django.utils.translation import gettext as _

from training.people.signals import signed_in_on_this_browser
from training.progress.learners import SESSION_KEY
from training.progress.services import claim_anonymous_progress


def keep_anonymous_progress(sender, *, request, user, **kwargs) -> None:
    moved = claim_anonymous_progress(request.session.pop(SESSION_KEY, ""), user)
    if moved:
        messages.info(request, _("Your progress from this browser is now saved to your account."))


signed_in_on_this_browser.connect(keep_anonymous_progress, dispatch_uid="progress:keep-progress")
