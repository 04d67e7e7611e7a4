"""Forms of live quizzes: shape only; the rules are in services and nicknames."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from training.live.nicknames import MAX_LENGTH, clean_nickname
from training.live.services import SECONDS_CHOICES


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("Game PIN"),
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("The PIN has 6 digits."))],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{6}"}
        ),
    )

    def clean_pin(self) -> str:
        return self.cleaned_data["pin"].strip()


class NicknameForm(forms.Form):
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=MAX_LENGTH + 10,
        help_text=_("Everyone in the room sees it. Do not use your full name."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off"}),
    )

    def clean_nickname(self) -> str:
        return clean_nickname(self.cleaned_data["nickname"])


class SessionSetupForm(forms.Form):
    questions = forms.TypedMultipleChoiceField(
        label=_("Questions"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one question.")},
    )
    seconds = forms.TypedChoiceField(
        label=_("Time for each question"),
        coerce=int,
        choices=[(s, _("%(seconds)s seconds") % {"seconds": s}) for s in SECONDS_CHOICES],
        initial=20,
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [(q.pk, q.prompt) for q in questions]
        self.fields["questions"].initial = [q.pk for q in questions]
