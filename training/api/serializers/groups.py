from rest_framework import serializers

from training.api.serializers.common import IdField
from training.people.models import Group


class GroupOut(serializers.ModelSerializer):
    leader = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Member id of its manager or educator."
    )
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Group
        fields = ["id", "name", "kind", "leader", "join_open", "member_count", "created_at"]


class GroupIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class GroupMembersIn(serializers.Serializer):
    members = serializers.ListField(child=IdField(), min_length=1, max_length=1000)
