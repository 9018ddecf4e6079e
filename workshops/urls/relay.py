from __future__ import annotations

from django.urls import path

from workshops.views import relay as views

urlpatterns = [
    path("p/<slug:slug>/relay/", views.relay_board, name="relay_board"),
    path("p/<slug:slug>/relay/groups/", views.relay_groups, name="relay_groups"),
    path("p/<slug:slug>/relay/groups/<int:pk>/edit/", views.relay_group_edit, name="relay_group_edit"),
    path("p/<slug:slug>/relay/groups/<int:pk>/delete/", views.relay_group_delete, name="relay_group_delete"),
    path("p/<slug:slug>/relay/<int:group_pk>/handover/", views.handover_edit, name="handover_edit"),
    path("p/<slug:slug>/relay/<int:group_pk>/answer/", views.handover_answer, name="handover_answer"),
    path("p/<slug:slug>/relay/<int:group_pk>/vlog/", views.vlog, name="vlog"),
]
