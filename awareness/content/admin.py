from django.contrib import admin

from awareness.content.models import Example, Module, RedFlag, ScamType, Step


class RedFlagInline(admin.TabularInline):
    model = RedFlag
    extra = 0
    fields = ["position", "key", "is_flag", "label", "field", "text", "region", "time_start"]


@admin.register(Example)
class ExampleAdmin(admin.ModelAdmin):
    """Versions are made by content packs (load_content); the admin is for looking, and for
    editing the wording of a version in place."""

    list_display = ["slug", "language", "version", "is_current", "channel", "is_scam", "synthetic"]
    list_filter = ["is_current", "language", "channel", "is_scam", "synthetic", "scam_type"]
    search_fields = ["slug", "title", "summary"]
    readonly_fields = ["slug", "language", "version", "content_hash", "is_current", "pack"]
    inlines = [RedFlagInline]


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ["position", "kind", "title", "example"]
    raw_id_fields = ["example"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["slug", "language", "version", "is_current", "minutes", "age_rating"]
    list_filter = ["is_current", "language", "age_rating"]
    search_fields = ["slug", "title"]
    readonly_fields = ["slug", "language", "version", "content_hash", "is_current", "pack"]
    inlines = [StepInline]


admin.site.register(ScamType)
