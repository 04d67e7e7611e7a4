from django import forms
from django.utils.translation import gettext_lazy as _

from awareness.content.models import Audience, Channel, Language
from training.people.models import AgeBand


class CatalogueFilters(forms.Form):
    """GET filters of the catalogue; choices for scam types are filled in by the view."""

    scam_type = forms.ChoiceField(label=_("Scam type"), required=False)
    audience = forms.ChoiceField(
        label=_("For"), required=False, choices=[("", _("Anyone")), *Audience.choices]
    )
    available_in = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *Language.choices]
    )
    length = forms.ChoiceField(
        label=_("Length"),
        required=False,
        choices=[
            ("", _("Any length")),
            ("short", _("5 minutes or less")),
            ("medium", _("6 to 10 minutes")),
            ("long", _("More than 10 minutes")),
        ],
    )

    def __init__(self, *args, scam_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scam_type"].choices = [("", _("All types"))] + [
            (scam_type.slug, scam_type.name) for scam_type in scam_types
        ]


class MuseumFilters(forms.Form):
    channel = forms.ChoiceField(
        label=_("Where it arrives"), required=False, choices=[("", _("Anywhere")), *Channel.choices]
    )
    scam_type = forms.ChoiceField(label=_("Scam type"), required=False)

    def __init__(self, *args, scam_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scam_type"].choices = [("", _("All types"))] + [
            (scam_type.slug, scam_type.name) for scam_type in scam_types
        ]


class AgeBandForm(forms.Form):
    age_band = forms.ChoiceField(label=_("Your age"), choices=AgeBand.choices)
