from rest_framework import serializers

from training.live.models import LiveSession


class LiveSessionOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    module = serializers.SlugField(source="module.slug")
    host = serializers.IntegerField(source="host_id", help_text="The host's user id.")
    players = serializers.IntegerField(source="player_count")

    class Meta:
        model = LiveSession
        fields = ["id", "module", "host", "state", "players", "created_at", "ended_at"]


class PlayerResultOut(serializers.Serializer):
    rank = serializers.IntegerField()
    nickname = serializers.CharField()
    signed_in = serializers.BooleanField()
    score = serializers.IntegerField()
    correct = serializers.IntegerField()
    answered = serializers.IntegerField()
    points = serializers.ListField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Points per question, in order; null where the player did not answer.",
    )


class LiveResultsOut(serializers.Serializer):
    session = LiveSessionOut()
    players = PlayerResultOut(many=True)
