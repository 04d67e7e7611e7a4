from django.contrib import admin

from awareness.safety.models import AuditEvent, ConsentRecord, RemovalRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """For looking only: changes go through services, which audit them (consent is revoked and
    removal requests decided on the staff pages)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "organization", "target_label"]
    list_filter = ["action", "organization"]
    search_fields = ["action", "target_label"]
    date_hierarchy = "created_at"


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["key", "person", "granted_at", "expires_at", "revoked_at", "pack"]
    search_fields = ["key", "person"]


@admin.register(RemovalRequest)
class RemovalRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "example_slug", "reason", "status", "filed_at", "due_at"]
    list_filter = ["status", "reason"]
