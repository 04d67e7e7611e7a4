"""Sign-in with the e-mail address: staff are told their address, not a generated username."""

from django.contrib.auth.backends import ModelBackend

from training.people.models import User


class EmailBackend(ModelBackend):
    """After the username backend: an address that is nobody's username is looked up as an
    e-mail address (case-insensitive), then checked like any password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or "@" not in username or password is None:
            return None
        user = User.objects.filter(email__iexact=username.strip()).exclude(email="").first()
        if user is None:
            User().set_password(password)  # as slow as a real check: timing tells nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
