from rest_framework import serializers

from training.people.models import OrganizationKind, Role


class OrganizationOut(serializers.Serializer):
    """An organisation as the caller sees it (read from the caller's membership)."""

    slug = serializers.SlugField(source="organization.slug")
    name = serializers.CharField(source="organization.name")
    kind = serializers.ChoiceField(source="organization.kind", choices=OrganizationKind.choices)
    role = serializers.ChoiceField(
        choices=Role.choices, help_text="The caller's role in this organisation."
    )
    created_at = serializers.DateTimeField(source="organization.created_at")
