from __future__ import annotations

from django.urls import path

from workshops.views import polls as views

urlpatterns = [
    path("p/<slug:slug>/sessions/", views.sessions, name="sessions"),
    path("p/<slug:slug>/sessions/<int:pk>/poll/", views.poll_control, name="poll_control"),
    path("p/<slug:slug>/sessions/<int:pk>/poll/new/", views.question_new, name="question_new"),
    path("p/<slug:slug>/sessions/<int:pk>/poll/preset/", views.question_preset, name="question_preset"),
    path("p/<slug:slug>/sessions/<int:pk>/poll/next/", views.session_next, name="session_next"),
    path("p/<slug:slug>/sessions/<int:pk>/poll/joining/", views.session_joining, name="session_joining"),
    path("p/<slug:slug>/sessions/<int:pk>/poll/<int:question_pk>/edit/", views.question_edit, name="question_edit"),
    path(
        "p/<slug:slug>/sessions/<int:pk>/poll/<int:question_pk>/delete/", views.question_delete, name="question_delete"
    ),
    path(
        "p/<slug:slug>/sessions/<int:pk>/poll/<int:question_pk>/action/", views.question_action, name="question_action"
    ),
    path("p/<slug:slug>/sessions/<int:pk>/poll/<int:question_pk>/adopt/", views.adopt, name="adopt"),
    path("p/<slug:slug>/sessions/<int:pk>/projector/", views.projector, name="projector"),
    path("p/<slug:slug>/sessions/<int:pk>/projector/live/", views.live, name="projector_live"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.participate, name="participate"),
    path("join/<str:code>/current/", views.participant_current, name="participant_current"),
    path("join/<str:code>/qr.svg", views.qr_code, name="join_qr"),
    path("join/<str:code>/q/<int:question_pk>/", views.vote, name="vote"),
]
