from django.db import transaction

from training.people.models import User


@transaction.atomic
def register_user(*, username: str, email: str, password: str, age_band: str) -> User:
    """Create a self-registered account (13 or older); the password is hashed with Argon2."""
    return User.objects.create_user(
        username=username, email=email, password=password, age_band=age_band
    )
