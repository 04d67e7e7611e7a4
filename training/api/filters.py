"""Query filters of the list endpoints; invalid values are a 400, never ignored."""

import re

import django_filters
from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from training.api.serializers.common import MAX_ID
from training.campaigns.models import Assignment
from training.people.models import Membership, Role
from training.progress.models import Attempt, ModuleProgress, ProgressStatus


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A whole number that can be an id (no fractions, nothing past 64 bits)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class MemberFilter(django_filters.FilterSet):
    email = django_filters.CharFilter(field_name="user__email", lookup_expr="iexact")
    external_id = django_filters.CharFilter()
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()
    group = IdFilter(field_name="groups", help_text="A group id.")

    class Meta:
        model = Membership
        fields = ["email", "external_id", "role", "is_active", "group"]


class AssignmentFilter(django_filters.FilterSet):
    campaign = IdFilter(field_name="run__campaign_id")
    member = IdFilter(field_name="membership_id")
    module = django_filters.CharFilter(field_name="module_slug")
    completed = django_filters.BooleanFilter(
        field_name="completed_at", lookup_expr="isnull", exclude=True
    )
    due_before = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="lt")

    class Meta:
        model = Assignment
        fields = ["campaign", "member", "module", "completed", "due_before"]


class ProgressFilter(django_filters.FilterSet):
    member = IdFilter(field_name="member_id")
    module = django_filters.CharFilter(field_name="module_slug")
    status = django_filters.ChoiceFilter(choices=ProgressStatus.choices)

    class Meta:
        model = ModuleProgress
        fields = ["member", "module", "status"]


class AttemptFilter(django_filters.FilterSet):
    member = IdFilter(field_name="member_id")
    module = django_filters.CharFilter(field_name="module__slug")
    finished = django_filters.BooleanFilter(
        field_name="finished_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Attempt
        fields = ["member", "module", "finished"]


class StrictOrdering(OrderingFilter):
    """An ordering the list does not offer is a 400, not silently the default (DRF's way), and
    the schema names those it offers."""

    def get_ordering(self, request, queryset, view):
        given = request.query_params.get(self.ordering_param)
        if given is None:
            return self.get_default_ordering(view)
        if not re.fullmatch(ordering_pattern(view.ordering_fields), given):
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one or more of: %(fields)s (a leading - reverses).")
                        % {"fields": ", ".join(view.ordering_fields)}
                    ]
                }
            )
        return given.split(",")

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["pattern"] = f"^{ordering_pattern(view.ordering_fields)}$"
        return parameters


def ordering_pattern(fields: list[str]) -> str:
    term = "-?(?:" + "|".join(re.escape(field) for field in fields) + ")"
    return f"{term}(?:,{term})*"
