import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from awareness.content.caching import content_changed
from awareness.content.models import Example, Module, RedFlag, ScamType, Step


class ChangesContent(admin.ModelAdmin):
    """An edit here changes what learners see: cached pages must go."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()


class RedFlagInline(admin.TabularInline):
    model = RedFlag
    extra = 0
    fields = ["position", "key", "is_flag", "label", "field", "text", "region", "time_start"]


@admin.register(Example)
class ExampleAdmin(ChangesContent):
    """Versions are made by content packs (load_content); the admin is for looking, and for
    editing the wording of a version in place."""

    list_display = ["slug", "language", "version", "is_current", "channel", "is_scam", "synthetic"]
    list_filter = ["is_current", "language", "channel", "is_scam", "synthetic", "scam_type"]
    search_fields = ["slug", "title", "summary"]
    # Media come only through packs, which strip their metadata; consent only from consents.yaml.
    readonly_fields = [
        "slug", "language", "version", "content_hash", "is_current", "pack",
        "image", "poster", "audio", "video", "depicts_real_person", "consent", "credentials",
    ]  # fmt: skip
    exclude = ["content_credentials"]
    inlines = [RedFlagInline]

    @admin.display(description=_("C2PA content credentials (as submitted)"))
    def credentials(self, example: Example) -> str:
        """What the media's own manifests claim, read offline when the pack was loaded: no
        trust list is consulted, so "Valid" means intact, not vouched for."""
        if not example.content_credentials:
            return _("None found in this example's media.")
        return format_html(
            "<pre style='white-space: pre-wrap; max-height: 30em; overflow: auto'>{}</pre>",
            json.dumps(example.content_credentials, indent=2, ensure_ascii=False),
        )


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ["position", "kind", "title", "example"]
    raw_id_fields = ["example"]


@admin.register(Module)
class ModuleAdmin(ChangesContent):
    list_display = ["slug", "language", "version", "is_current", "minutes", "age_rating"]
    list_filter = ["is_current", "language", "age_rating"]
    search_fields = ["slug", "title"]
    readonly_fields = ["slug", "language", "version", "content_hash", "is_current", "pack"]
    inlines = [StepInline]


admin.site.register(ScamType, ChangesContent)
