from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    """Coarse age, never a birth date: enough to keep content age-appropriate."""

    UNDER_13 = "under-13", _("Under 13")
    FROM_13 = "13-15", _("13 to 15")
    FROM_16 = "16-17", _("16 or 17")
    ADULT = "18+", _("18 or older")


# The highest content age rating (see awareness.content.AgeRating) each band may see.
MAX_AGE_RATING = {AgeBand.UNDER_13: 0, AgeBand.FROM_13: 13, AgeBand.FROM_16: 16, AgeBand.ADULT: 18}


class User(AbstractUser):
    """A person who signs in. E-mail is optional: children's classroom accounts have none."""

    email = models.EmailField(_("e-mail address"), blank=True)
    age_band = models.CharField(
        _("age"), max_length=10, choices=AgeBand.choices, default=AgeBand.ADULT
    )

    @property
    def max_age_rating(self) -> int:
        return MAX_AGE_RATING[AgeBand(self.age_band)]

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_when_set",
            ),
        ]
