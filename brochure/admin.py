from __future__ import annotations

from django.contrib import admin

from brochure.models import Notice, Rendering, Review, Version


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    list_display = ("programme", "number", "state", "created_at", "released_at")
    list_filter = ("state", "programme")
    readonly_fields = ("programme", "major", "minor", "snapshot", "created_by", "created_at")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("version", "section", "user", "verdict", "resolved_at")
    list_filter = ("verdict",)


@admin.register(Rendering)
class RenderingAdmin(admin.ModelAdmin):
    list_display = ("version", "kind", "status", "pages", "finished_at")
    list_filter = ("status", "kind")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("version", "user", "kind", "created_at", "read_at")
