from __future__ import annotations

from django.urls import path

from guardrails import views

urlpatterns = [
    path("p/<slug:slug>/guardrails/", views.board, name="guardrail_board"),
    path("p/<slug:slug>/guardrails/new/", views.guardrail_new, name="guardrail_new"),
    path("p/<slug:slug>/guardrails/<int:pk>/edit/", views.guardrail_edit, name="guardrail_edit"),
    path("p/<slug:slug>/guardrails/<int:pk>/delete/", views.guardrail_delete, name="guardrail_delete"),
    path("p/<slug:slug>/guardrails/<int:pk>/assess/", views.assessment_new, name="assessment_new"),
    path("p/<slug:slug>/subgroups/", views.subgroups, name="subgroups"),
    path("p/<slug:slug>/subgroups/<int:pk>/delete/", views.subgroup_delete, name="subgroup_delete"),
]
