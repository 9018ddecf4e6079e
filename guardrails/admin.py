from __future__ import annotations

from django.contrib import admin

from guardrails.models import Guardrail, SoftAssessment, Subgroup
from programmes.admin import BumpVersionMixin


@admin.register(Guardrail)
class GuardrailAdmin(BumpVersionMixin, admin.ModelAdmin):
    list_display = ["name", "programme", "kind", "metric", "comparator", "target", "target_high", "tolerance"]
    list_filter = ["programme", "kind", "metric"]
    search_fields = ["name"]
    readonly_fields = ["version", "origin"]


@admin.register(Subgroup)
class SubgroupAdmin(admin.ModelAdmin):
    list_display = ["name", "programme"]
    list_filter = ["programme"]
    filter_horizontal = ["members"]


@admin.register(SoftAssessment)
class SoftAssessmentAdmin(admin.ModelAdmin):
    list_display = ["guardrail", "subgroup", "verdict", "author", "created_at"]
    list_filter = ["verdict", "guardrail__programme"]
