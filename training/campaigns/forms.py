from django import forms
from django.utils.translation import gettext_lazy as _

from training.campaigns.models import Recurrence, SendingPolicy, SimulationPolicy


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

    def __init__(self, *args, templates=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [
            (str(t.pk), f"{t.name} ({t.get_channel_display()})") for t in templates
        ]
        self.fields["groups"].choices = [(str(g.pk), g.name) for g in groups]


class SimulationPolicyForm(forms.ModelForm):
    class Meta:
        model = SimulationPolicy
        fields = ["require_approval", "aggregate_only", "anonymise_after_days"]
