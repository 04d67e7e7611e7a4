from django.contrib import admin

from training.integrations.models import Statement, WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "organization", "is_enabled", "created_at"]
    list_select_related = ["organization"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event_type",
        "event_id",
        "subscription",
        "status",
        "attempts",
        "response_status",
    ]
    list_filter = ["status", "event_type"]
    list_select_related = ["subscription"]
    raw_id_fields = ["subscription"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["statement_id", "verb", "organization", "status", "attempts", "response_status"]
    list_filter = ["status", "verb"]
    list_select_related = ["organization"]
    raw_id_fields = ["attempt", "organization"]
