from __future__ import annotations

from django.contrib import admin

from workshops.models import DesignSession, Participant, PollAnswer, PollQuestion


class PollQuestionInline(admin.TabularInline):
    model = PollQuestion
    extra = 0
    fields = ["order", "kind", "prompt", "state", "results_visible", "topic"]


@admin.register(DesignSession)
class DesignSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "starts_at", "join_code", "joinable"]
    list_filter = ["programme", "kind", "joinable"]
    search_fields = ["title", "join_code"]
    readonly_fields = ["join_code"]
    inlines = [PollQuestionInline]


@admin.register(PollQuestion)
class PollQuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "session", "kind", "state", "results_visible"]
    list_filter = ["kind", "state", "session__programme"]
    search_fields = ["prompt"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["session", "joined_at"]
    list_filter = ["session"]


@admin.register(PollAnswer)
class PollAnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "participant", "value", "updated_at"]
    list_filter = ["question__session"]
    list_select_related = ["question", "participant"]
