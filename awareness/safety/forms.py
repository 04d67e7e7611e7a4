import re
import time
from urllib.parse import urlsplit

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from awareness.safety.models import RemovalReason

FORM_SALT = "awareness.safety.removal-form"
# People take more than this to fill in the form; scripts rarely wait.
FASTEST_HUMAN_SECONDS = 3
FORM_LIFETIME_SECONDS = 24 * 60 * 60
MUSEUM_LINK = re.compile(r"/museum/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)/?$")


def form_started_token(at: float | None = None) -> str:
    """A signed time the form was shown at: bots that post at once, or replay an old form,
    are refused without any third-party service."""
    return signing.dumps(at if at is not None else time.time(), salt=FORM_SALT)


class RemovalRequestForm(forms.Form):
    example = forms.ChoiceField(label=_("Which example?"), required=False)
    link = forms.CharField(
        label=_("…or paste its link"),
        required=False,
        max_length=500,
        help_text=_("The address of the example's page in the scam museum."),
    )
    reason = forms.ChoiceField(
        label=_("Why should it be removed?"),
        choices=RemovalReason.choices,
        widget=forms.RadioSelect,
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We write to you at each step of the review, and for nothing else."),
    )
    details = forms.CharField(
        label=_("Anything we should know"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # A field people never see: only scripts fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, examples=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.examples = {example.slug: example for example in examples}
        self.fields["example"].choices = [("", _("Choose an example"))] + [
            (example.slug, example.title) for example in examples
        ]
        self.fields["started"].initial = form_started_token()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website") or not self._sent_by_a_person(cleaned.get("started", "")):
            raise forms.ValidationError(
                _("Your request could not be sent. Wait a few seconds, then send it again."),
                code="spam",
            )
        slug = cleaned.get("example") or self._slug_in(cleaned.get("link", ""))
        if not slug and "example" not in self.errors:
            self.add_error("example", _("Choose the example, or paste the link to its page."))
        elif slug and slug not in self.examples:
            self.add_error("link", _("This link is not an example of the scam museum."))
        else:
            cleaned["item"] = self.examples.get(slug)
        return cleaned

    @staticmethod
    def _slug_in(link: str) -> str:
        match = MUSEUM_LINK.search(urlsplit(link.strip()).path)
        return match["slug"] if match else ""

    def _sent_by_a_person(self, token: str) -> bool:
        try:
            shown_at = signing.loads(token, salt=FORM_SALT, max_age=FORM_LIFETIME_SECONDS)
        except signing.BadSignature:  # SignatureExpired is one too
            return False
        return isinstance(shown_at, float | int) and time.time() - shown_at >= (
            FASTEST_HUMAN_SECONDS
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("hide", _("Hide pending review")),
            ("remove", _("Remove")),
            ("reject", _("Reject")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason (sent to the requester)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RevokeConsentForm(forms.Form):
    reason = forms.CharField(label=_("Why is consent revoked?"), max_length=2000)


class ConfirmWithPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
