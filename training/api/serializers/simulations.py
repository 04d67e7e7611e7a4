from rest_framework import serializers

from training.campaigns.models import Simulation


class SimulationOut(serializers.ModelSerializer):
    template = serializers.SlugField(source="template.slug", help_text="The lure's template.")
    channel = serializers.CharField(source="template.channel", help_text="email or sms")
    groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Simulation
        fields = [
            "id",
            "name",
            "status",
            "template",
            "channel",
            "groups",
            "send_over_hours",
            "created_at",
            "launched_at",
            "closed_at",
            "anonymised_at",
        ]


class RatesOut(serializers.Serializer):
    targets = serializers.IntegerField()
    sent = serializers.IntegerField()
    opened = serializers.IntegerField()
    clicked = serializers.IntegerField()
    submitted = serializers.IntegerField()
    reported = serializers.IntegerField()
    enrolled = serializers.IntegerField()
    click_rate = serializers.IntegerField(help_text="Per cent of those sent a lure.")
    submit_rate = serializers.IntegerField(help_text="Per cent of those sent a lure.")
    report_rate = serializers.IntegerField(help_text="Per cent of those sent a lure.")
    phish_prone = serializers.IntegerField(help_text="Per cent who clicked or submitted.")


class SummaryOut(RatesOut):
    first_report_at = serializers.DateTimeField(allow_null=True)
    time_to_first_report = serializers.DurationField(
        allow_null=True, help_text="From launch to the first report."
    )


class GroupRatesOut(RatesOut):
    group = serializers.CharField()


class DayOut(serializers.Serializer):
    day = serializers.DateField()
    sent = serializers.IntegerField()
    opened = serializers.IntegerField()
    clicked = serializers.IntegerField()
    submitted = serializers.IntegerField()
    reported = serializers.IntegerField()


class SimulationResultsOut(serializers.Serializer):
    """Aggregates only: per-person results stay on the organisation's pages, where its
    aggregate-only and anonymising choices apply."""

    simulation = SimulationOut()
    summary = SummaryOut()
    groups = GroupRatesOut(many=True)
    timeline = DayOut(many=True)
