from __future__ import annotations

from django.contrib import admin

from programmes.models import Activity, Membership, Organisation, Programme, WorkplaceAnchor, Year


class BumpVersionMixin:
    """Admin saves count as edits too, so an open form in the app notices them."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class YearInline(admin.TabularInline):
    model = Year
    extra = 0
    fields = ["number", "title", "signature"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "organisation", "stage", "number_of_years", "learning_weeks_per_year"]
    list_filter = ["stage", "organisation"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MembershipInline, YearInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.ensure_years()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "role"]
    list_filter = ["role", "programme"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "programme__title"]
    autocomplete_fields = ["user"]


@admin.register(Year)
class YearAdmin(BumpVersionMixin, admin.ModelAdmin):
    list_display = ["programme", "number", "title", "signature"]
    list_filter = ["programme"]
    readonly_fields = ["version"]


@admin.register(WorkplaceAnchor)
class WorkplaceAnchorAdmin(admin.ModelAdmin):
    list_display = ["name", "programme"]
    list_filter = ["programme"]
    search_fields = ["name"]


@admin.register(Activity)
class ActivityAdmin(BumpVersionMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "year",
        "learning_type",
        "modality",
        "contact_hours",
        "prep_hours",
        "extra_hours",
        "occurrences",
    ]
    list_filter = ["year__programme", "learning_type", "modality"]
    search_fields = ["title", "description"]
    list_select_related = ["year__programme"]
    readonly_fields = ["version"]
