from rest_framework import serializers

from awareness.content.models import Module


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
    scam_type = serializers.SlugField(required=False, default="")
    audience = serializers.SlugField(required=False, default="")
    length = serializers.ChoiceField(
        choices=["short", "medium", "long"], required=False, default=""
    )
