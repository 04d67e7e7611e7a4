from django import forms
from django.utils.translation import gettext_lazy as _

from training.identity.models import PROVISIONED_ROLES
from training.people.models import Membership, Role


class SsoAddressForm(forms.Form):
    email = forms.EmailField(label=_("Work e-mail address"), max_length=254)


class OidcSettingsForm(forms.Form):
    issuer = forms.URLField(
        label=_("Issuer"),
        max_length=300,
        assume_scheme="https",
        help_text=_(
            "The address your provider calls its issuer, e.g. "
            "https://login.microsoftonline.com/&lt;tenant id&gt;/v2.0. We read its "
            "/.well-known/openid-configuration."
        ),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=200)
    # Never shown again once saved: the field starts empty and blank keeps the stored one.
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    default_role = forms.ChoiceField(
        label=_("Role of people on their first sign-in"),
        choices=PROVISIONED_ROLES,
        initial=Role.LEARNER,
    )
    department_claim = forms.RegexField(
        label=_("Claim that names the department (optional)"),
        regex=r"^[A-Za-z0-9_.:/-]*$",
        max_length=100,
        required=False,
        help_text=_("For example department. Its value puts the person in that department."),
    )
    require_sso = forms.BooleanField(
        label=_("Require single sign-on: refuse passwords and sign-in links for members"),
        required=False,
    )
    break_glass_owner = forms.ModelChoiceField(
        label=_("Owner who may still use a password (break-glass account)"),
        queryset=Membership.objects.none(),
        required=False,
    )

    def __init__(self, *args, organization, has_secret: bool, **kwargs):
        super().__init__(*args, **kwargs)
        owners = Membership.objects.filter(
            organization=organization, role=Role.OWNER, is_active=True
        ).select_related("user")
        self.fields["break_glass_owner"].queryset = owners
        self.fields["break_glass_owner"].label_from_instance = lambda m: m.user.get_username()
        if has_secret:
            self.fields["client_secret"].help_text = _(
                "A secret is stored (it is never shown). Leave this empty to keep it."
            )


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
        help_text=_("Six digits from your authenticator app, or one of your recovery codes."),
    )


class TwoFactorPolicyForm(forms.Form):
    required_for_staff = forms.BooleanField(
        label=_("Require two-factor authentication of every staff role"), required=False
    )
