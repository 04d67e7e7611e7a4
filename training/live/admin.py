from django.contrib import admin

from training.live.models import LiveSession, Player


class PlayerInline(admin.TabularInline):
    model = Player
    fields = ("nickname", "score", "streak", "kicked", "joined_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ("pin", "module", "host", "state", "created_at", "ended_at")
    list_filter = ("state",)
    readonly_fields = ("public_id", "revision", "current", "deadline", "expected_answers")
    raw_id_fields = ("host", "module")
    inlines = [PlayerInline]
