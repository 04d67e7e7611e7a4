"""Who is learning: an account, or an anonymous browser identified by a key in its session."""

import secrets

from training.people.models import MAX_AGE_RATING, AgeBand
from training.progress.services import Learner

SESSION_KEY = "learner_key"
SESSION_AGE_BAND = "age_band"
# Anonymous visitors see content rated for 13+ until they say how old they are.
ANONYMOUS_AGE_BAND = AgeBand.FROM_13


def age_band_of(request) -> AgeBand:
    if request.user.is_authenticated:
        return AgeBand(request.user.age_band)
    stored = request.session.get(SESSION_AGE_BAND)
    return AgeBand(stored) if stored in AgeBand.values else ANONYMOUS_AGE_BAND


def learner_for(request, *, create: bool = False) -> Learner:
    """The learner behind a request; `create` gives an anonymous browser its key."""
    max_rating = MAX_AGE_RATING[age_band_of(request)]
    if request.user.is_authenticated:
        return Learner(user=request.user, key="", max_age_rating=max_rating)
    key = request.session.get(SESSION_KEY, "")
    if not key and create:
        key = secrets.token_urlsafe(24)
        request.session[SESSION_KEY] = key
    return Learner(user=None, key=key, max_age_rating=max_rating)
