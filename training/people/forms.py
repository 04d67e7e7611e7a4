from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from training.people.models import AgeBand, User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Used only to reset your password. We never share it."),
    )

    age_band = forms.ChoiceField(
        label=_("Your age"),
        # Children under 13 get accounts from their teacher's class, never by signing up.
        choices=[(band.value, band.label) for band in AgeBand if band != AgeBand.UNDER_13],
        help_text=_("Under 13? Ask your teacher for a class account."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "age_band")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this e-mail address already exists. Log in or reset "
                    "your password instead."
                )
            )
        return email
