from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from training.integrations.models import LearningRecordStore, WebhookEvent
from training.integrations.outbound import check_address

LONGEST_EXPORT = timedelta(days=366)


class LearningRecordStoreForm(forms.ModelForm):
    """The secret is never shown back: left empty, the one already saved is kept."""

    endpoint = forms.URLField(
        label=_("LRS endpoint"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("The xAPI endpoint of your learning record store, e.g. "
                    "https://lrs.example.com/xapi/"),
    )  # fmt: skip
    secret = forms.CharField(
        label=_("Secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = LearningRecordStore
        fields = ["endpoint", "key", "secret", "identify_by_email", "is_enabled"]
        help_texts = {
            "identify_by_email": _("Off: learners are sent as a stable pseudonym of your "
                                   "organisation. Children are never sent."),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_secret = self.instance.secret
        if self.saved_secret:
            self.fields["secret"].help_text = _(
                "Saved (ending in …%(end)s). Leave empty to keep it."
            ) % {"end": self.saved_secret[-4:]}

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        if endpoint:
            check_address(endpoint)
        return endpoint

    def clean_secret(self):
        return self.cleaned_data["secret"] or self.saved_secret

    def clean(self):
        data = super().clean()
        if data.get("is_enabled") and not data.get("endpoint"):
            self.add_error("endpoint", _("Enter the endpoint before switching sending on."))
        return data


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// address that accepts POST requests."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        check_address(url)
        return url


class ExportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The end date is before the start date."))
            if end - start > LONGEST_EXPORT:
                raise ValidationError(_("Export at most a year at a time."))
        return data
