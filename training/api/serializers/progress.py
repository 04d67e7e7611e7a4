from rest_framework import serializers

from training.progress.models import Attempt, ModuleProgress


class ProgressOut(serializers.ModelSerializer):
    member = serializers.IntegerField(source="member_id")
    module = serializers.SlugField(source="module_slug")

    class Meta:
        model = ModuleProgress
        fields = ["id", "member", "module", "status", "best_score", "completed_at", "updated_at"]


class AttemptOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    member = serializers.IntegerField(source="member_id")
    module = serializers.SlugField(source="module.slug")
    module_version = serializers.IntegerField(source="module.version")
    language = serializers.CharField(source="module.language")

    class Meta:
        model = Attempt
        fields = [
            "id",
            "member",
            "module",
            "module_version",
            "language",
            "started_at",
            "finished_at",
            "score",
        ]
