from rest_framework import serializers

from training.api.serializers.common import IdField
from training.campaigns.models import Assignment, Campaign, Recurrence, RunStatus


class CampaignOut(serializers.ModelSerializer):
    modules = serializers.SlugRelatedField(
        slug_field="module_slug", many=True, read_only=True, help_text="Module slugs, in order."
    )
    groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "status",
            "modules",
            "groups",
            "starts_at",
            "due_days",
            "recurrence",
            "reminder_every_days",
            "reminder_limit",
            "escalate",
            "pass_mark",
            "created_at",
        ]


class CampaignIn(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    modules = serializers.ListField(
        child=serializers.SlugField(), min_length=1, max_length=50, help_text="Module slugs."
    )
    groups = serializers.ListField(child=IdField(), min_length=1, max_length=500)
    starts_at = serializers.DateTimeField(
        help_text="When it launches; a time in the past launches it when you call launch."
    )
    due_days = serializers.IntegerField(min_value=1, max_value=365, default=14)
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, default="")
    reminder_every_days = serializers.IntegerField(min_value=1, max_value=90, default=3)
    reminder_limit = serializers.IntegerField(min_value=0, max_value=20, default=4)
    escalate = serializers.BooleanField(default=True)
    pass_mark = serializers.FloatField(
        min_value=0.0, max_value=1.0, default=0.6, help_text="The share of points that passes."
    )


class AssignmentOut(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="run.campaign_id")
    run = serializers.IntegerField(source="run.number", help_text="The run's number, from 1.")
    member = serializers.IntegerField(source="membership_id")
    module = serializers.SlugField(source="module_slug")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "campaign",
            "run",
            "member",
            "module",
            "due_at",
            "completed_at",
            "score",
            "passed_at",
        ]


class CampaignProgressOut(serializers.Serializer):
    run = serializers.IntegerField(allow_null=True, help_text="The latest run's number.")
    run_status = serializers.ChoiceField(choices=RunStatus.choices, allow_null=True)
    recipients = serializers.IntegerField()
    launched_at = serializers.DateTimeField(allow_null=True)
    people = serializers.IntegerField()
    assignments = serializers.IntegerField()
    completed = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Completed assignments, in percent.")
    passed = serializers.IntegerField(help_text="Assignments that reached the pass mark.")
    passed_percent = serializers.IntegerField(help_text="Passed assignments, in percent.")
    average_score = serializers.FloatField(allow_null=True)
    overdue_people = serializers.IntegerField()
    sent = serializers.IntegerField(help_text="Messages sent.")
    waiting = serializers.IntegerField(help_text="Messages waiting to be sent.")
    failed = serializers.IntegerField(help_text="Messages that could not be sent.")
