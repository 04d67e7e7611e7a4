from rest_framework import serializers

from awareness.content.models import Module
from training.api.serializers.common import QueryChoiceField, QuerySlugField


class ModuleOut(serializers.ModelSerializer):
    scam_types = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    audiences = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Module
        fields = [
            "slug",
            "language",
            "version",
            "title",
            "summary",
            "minutes",
            "age_rating",
            "scam_types",
            "audiences",
        ]


class ModuleQuery(serializers.Serializer):
    """Each filter is optional; given, it must name something (`?scam_type=` is refused)."""

    scam_type = QuerySlugField(required=False)
    audience = QuerySlugField(required=False)
    length = QueryChoiceField(choices=["short", "medium", "long"], required=False)
