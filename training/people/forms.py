from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import UserCreationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from training.people.domains import ADMIN_MAILBOXES
from training.people.models import AgeBand, OrganizationKind, Role, TokenScope, User
from training.people.sign_in import password_refusal


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


class LogInForm(auth_forms.AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django sets the length only on the widget: enforce it, so an over-long name is a
        # form error and never reaches authentication (or the sign-in log's 255 characters).
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        # Staff are told their work address, never a generated username: both sign in.
        username.label = _("E-mail address or username")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if reason := password_refusal(user):
            raise forms.ValidationError(reason, code="sso_required")


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name of your school or organisation"), max_length=150)
    # Only the kind is asked: a school's children under 13 get pseudonymous accounts (the
    # model's default), and nobody asks a bank about children.
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)


class ChildAgeLimitForm(forms.Form):
    child_age_limit = forms.IntegerField(
        label=_("Pseudonymous accounts for learners younger than"),
        min_value=0,
        max_value=18,
        help_text=_("They get generated names and no e-mail address."),
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class StudentsForm(forms.Form):
    count = forms.IntegerField(label=_("How many students?"), min_value=1, max_value=60)
    age_band = forms.ChoiceField(
        label=_("Their age"), choices=AgeBand.choices, initial=AgeBand.UNDER_13
    )
    notes = forms.CharField(
        label=_("Notes for staff, one per line (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example initials, to match each generated name to a pupil. Only staff see them."
        ),
    )

    def clean_notes(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["notes"].splitlines() if line.strip()]


class AssignForm(forms.Form):
    modules = forms.MultipleChoiceField(
        label=_("Modules"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    starts_at = forms.DateTimeField(
        label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    due_at = forms.DateTimeField(
        label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    learners = forms.MultipleChoiceField(
        label=_("Only these students (leave empty for the whole class)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=(),
    )

    def __init__(self, *args, modules=(), students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].choices = [(m.slug, m.title) for m in modules]
        self.fields["learners"].choices = [(str(s.pk), s.user.username) for s in students]

    def clean(self):
        cleaned = super().clean()
        starts_at, due_at = cleaned.get("starts_at"), cleaned.get("due_at")
        if starts_at and due_at and due_at <= starts_at:
            self.add_error("due_at", _("The due date must be after the start."))
        return cleaned


class JoinCodeForm(forms.Form):
    code = forms.CharField(label=_("Class code"), max_length=20)


class NewStudentForm(forms.Form):
    age_band = forms.ChoiceField(label=_("How old are you?"), choices=AgeBand.choices)


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberFilters(forms.Form):
    """The members page's search and filters; a bad value is a 400 with the form's error."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, e-mail address or HR id"),
    )
    group = forms.ModelChoiceField(
        label=_("Department or class"), queryset=None, required=False, empty_label=_("All")
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All")), *Role.choices]
    )
    activation = forms.ChoiceField(
        label=_("Activation"),
        required=False,
        choices=[
            ("", _("All")),
            ("activated", _("Activated")),
            ("not-activated", _("Not activated yet")),
        ],
    )
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also reaches people imported from a roster, whose accounts have no password yet:
    "Forgot your password?" is how they set their first one."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


# --- Verified domains and phone numbers -------------------------------------------------------


class DomainForm(forms.Form):
    domain = forms.CharField(
        label=_("Domain"),
        max_length=253,
        help_text=_(
            "The part after @ in your staff's e-mail addresses, such as harbourbank.com. A "
            "subdomain (mail.harbourbank.com) must be verified on its own."
        ),
    )
    method = forms.ChoiceField(
        label=_("How will you prove it is yours?"),
        choices=[
            ("dns", _("Publish a DNS TXT record (for whoever runs your DNS)")),
            ("email", _("Send a link to the domain's administrator mailbox")),
        ],
        widget=forms.RadioSelect,
        initial="dns",
    )


class MailboxForm(forms.Form):
    mailbox = forms.ChoiceField(label=_("Send the link to"), widget=forms.RadioSelect)

    def __init__(self, *args, domain: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailbox"].choices = [(box, f"{box}@{domain}") for box in ADMIN_MAILBOXES]


class PhoneForm(forms.Form):
    phone_number = forms.CharField(
        label=_("Mobile phone number"),
        max_length=24,
        help_text=_("In international form, with + and the country code: +852 9123 4567."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, e.g. “HR system nightly sync”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=TokenScope.choices, initial=TokenScope.READ
    )
