from django import forms
from django.utils.translation import gettext_lazy as _

from training.campaigns.models import (
    Recurrence,
    SendingPolicy,
    SendingProfile,
    SimulationPolicy,
    SimulationTemplate,
    TeachOn,
    Verdict,
)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    modules = forms.MultipleChoiceField(
        label=_("Modules, in order"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    groups = forms.MultipleChoiceField(
        label=_("Departments"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    starts_at = forms.DateTimeField(
        label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    due_days = forms.IntegerField(
        label=_("Days to complete"), min_value=1, max_value=365, initial=14
    )
    recurrence = forms.ChoiceField(label=_("Repeat"), choices=Recurrence.choices, required=False)
    reminder_every_days = forms.IntegerField(
        label=_("Remind every (days)"), min_value=1, max_value=90, initial=3
    )
    reminder_limit = forms.IntegerField(
        label=_("At most this many reminders"), min_value=0, max_value=20, initial=4
    )
    escalate = forms.BooleanField(
        label=_("Send managers a digest of who is overdue"), required=False, initial=True
    )
    pass_mark = forms.IntegerField(
        label=_("Pass mark (%)"), min_value=0, max_value=100, initial=60, required=False
    )

    def clean_pass_mark(self) -> float:
        value = self.cleaned_data["pass_mark"]
        return 0.6 if value is None else value / 100

    def __init__(self, *args, modules=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].choices = [(m.slug, m.title) for m in modules]
        self.fields["groups"].choices = [(str(g.pk), g.name) for g in groups]


class SendingPolicyForm(forms.ModelForm):
    class Meta:
        model = SendingPolicy
        fields = ["per_minute", "per_day"]


class SimulationForm(forms.Form):
    template = forms.ChoiceField(label=_("Lure"), widget=forms.RadioSelect, choices=())
    name = forms.CharField(label=_("Name"), max_length=150)
    groups = forms.MultipleChoiceField(
        label=_("Departments"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    send_over_hours = forms.IntegerField(
        label=_("Send over (hours)"), min_value=0, max_value=72, initial=4
    )
    open_days = forms.IntegerField(
        label=_("Count clicks and reports for (days)"), min_value=1, max_value=60, initial=14
    )
    teach_on = forms.ChoiceField(
        label=_("Teachable moment"),
        widget=forms.RadioSelect,
        choices=TeachOn.choices,
        initial=TeachOn.CLICK,
        required=False,
    )
    sending_profile = forms.ChoiceField(label=_("Sending profile"), choices=(), required=False)

    def __init__(self, *args, templates=(), groups=(), profiles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sending_profile"].choices = [("", _("The platform's address"))] + [
            (str(p.pk), f"{p.name} <{p.from_address}>") for p in profiles
        ]
        self.fields["template"].choices = [
            (str(t.pk), f"{t.name} ({t.get_channel_display()})") for t in templates
        ]
        self.fields["groups"].choices = [(str(g.pk), g.name) for g in groups]


class SimulationPolicyForm(forms.ModelForm):
    class Meta:
        model = SimulationPolicy
        fields = ["require_approval", "aggregate_only", "anonymise_after_days"]


class SendingProfileForm(forms.ModelForm):
    """Shape only: the verified-domain rule is the service's."""

    class Meta:
        model = SendingProfile
        fields = ["name", "from_name", "from_address", "reply_to", "sign_dkim", "sms_sender"]


class TestLureForm(forms.Form):
    template = forms.ChoiceField(label=_("Lure"), choices=())
    profile = forms.ChoiceField(label=_("Sending profile"), choices=(), required=False)

    def __init__(self, *args, templates=(), profiles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(str(t.pk), t.name) for t in templates]
        self.fields["profile"].choices = [("", _("The platform's address"))] + [
            (str(p.pk), f"{p.name} <{p.from_address}>") for p in profiles
        ]


class LureTemplateForm(forms.ModelForm):
    """A lure as its author edits it. Red flags are one per line: the flag, then "|" and the
    words of the lure it marks on the teachable moment."""

    flags = forms.CharField(
        label=_("Red flags"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: the red flag | the words of the lure it marks."),
    )

    class Meta:
        model = SimulationTemplate
        fields = [
            "name", "language", "difficulty", "channel", "sender_name", "subject", "html_body",
            "text_body", "landing", "landing_html", "module_slug",
        ]  # fmt: skip
        widgets = {
            "html_body": forms.Textarea(attrs={"rows": 8}),
            "text_body": forms.Textarea(attrs={"rows": 4}),
            "landing_html": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["html_body"].help_text = _(
            "Placeholders: {{ first_name }}, {{ last_name }}, {{ department }}, "
            "{{ organization }}, {{ deadline }}, {{ link }}, {{ qr }}."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["flags"] = "\n".join(
                f"{flag['flag']} | {flag['mark']}" if flag.get("mark") else flag["flag"]
                for flag in self.instance.flags
            )

    def clean_flags(self) -> list[dict[str, str]]:
        flags = []
        for line in self.cleaned_data["flags"].splitlines():
            flag, _bar, mark = line.partition("|")
            if flag.strip():
                flags.append({"flag": flag.strip(), "mark": mark.strip()})
        return flags

    def template_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["red_flags"] = data.pop("flags")
        return data


class ReportMailboxForm(forms.Form):
    host = forms.CharField(label=_("IMAP server"), max_length=253)
    port = forms.IntegerField(label=_("Port"), min_value=1, max_value=65535, initial=993)
    use_tls = forms.BooleanField(label=_("TLS (IMAPS)"), required=False, initial=True)
    username = forms.CharField(label=_("User name"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=500)
    folder = forms.CharField(label=_("Folder"), max_length=100, initial="INBOX")


class TriageForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
