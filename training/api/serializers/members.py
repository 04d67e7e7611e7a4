from rest_framework import serializers

from training.api.serializers.common import IdField
from training.people.models import Membership, Role


class MemberOut(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    username = serializers.CharField(source="user.username")
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "email",
            "username",
            "first_name",
            "last_name",
            "role",
            "external_id",
            "groups",
            "is_active",
            "created_at",
        ]


class MemberIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.LEARNER)
    external_id = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="The person's id in your HR system.",
    )
    groups = serializers.ListField(
        child=IdField(),
        required=False,
        default=list,
        max_length=100,
        help_text="Ids of groups (departments or classes) to put the member in.",
    )


class MemberChangeIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    groups = serializers.ListField(
        child=IdField(),
        required=False,
        max_length=100,
        help_text="Replaces the member's groups.",
    )
