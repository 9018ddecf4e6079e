from __future__ import annotations

from django.contrib import admin

from dialogues.models import Answer, Dialogue, Invitation, Notification, Proposal, Question, Reaction
from programmes.admin import BumpVersionMixin


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class ProposalInline(admin.StackedInline):
    model = Proposal
    extra = 0


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["invited_at", "language"]


@admin.register(Dialogue)
class DialogueAdmin(BumpVersionMixin, admin.ModelAdmin):
    list_display = ["title", "programme", "closes_on", "closed_at"]
    list_filter = ["programme"]
    search_fields = ["title"]
    readonly_fields = ["version", "created_at", "created_by"]
    raw_id_fields = ["guardrail", "year", "activity", "outcome_guardrail", "closed_by"]
    filter_horizontal = ["outcome_activities"]
    inlines = [QuestionInline, ProposalInline, InvitationInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "question", "author", "parent", "created_at"]
    list_filter = ["question__dialogue__programme"]
    raw_id_fields = ["question", "parent", "author"]


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "author", "kind", "updated_at"]
    list_filter = ["kind", "proposal__dialogue__programme"]
    raw_id_fields = ["proposal", "author"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["dialogue", "user", "kind", "sent_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
