from __future__ import annotations

from django.urls import path

from dialogues import views

urlpatterns = [
    path("dialogues/", views.my_dialogues, name="my_dialogues"),
    path("p/<slug:slug>/dialogues/", views.dialogues, name="dialogues"),
    path("p/<slug:slug>/dialogues/new/", views.dialogue_new, name="dialogue_new"),
    path("p/<slug:slug>/dialogues/<int:pk>/", views.dialogue_detail, name="dialogue_detail"),
    path("p/<slug:slug>/dialogues/<int:pk>/edit/", views.dialogue_edit, name="dialogue_edit"),
    path("p/<slug:slug>/dialogues/<int:pk>/answer/", views.dialogue_answer, name="dialogue_answer"),
    path("p/<slug:slug>/dialogues/<int:pk>/react/", views.dialogue_react, name="dialogue_react"),
    path("p/<slug:slug>/dialogues/<int:pk>/close/", views.dialogue_close, name="dialogue_close"),
]
