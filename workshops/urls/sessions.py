from __future__ import annotations

from django.urls import path

from workshops.views import sessions as views

SESSION = "p/<slug:slug>/sessions/<int:pk>/"
STEP = SESSION + "agenda/<int:step_pk>/"

urlpatterns = [
    path(SESSION, views.session_detail, name="session_detail"),
    path(SESSION + "edit/", views.session_edit, name="session_edit"),
    path(SESSION + "delete/", views.session_delete, name="session_delete"),
    path(SESSION + "agenda/new/", views.agenda_step_new, name="agenda_step_new"),
    path(STEP + "edit/", views.agenda_step_edit, name="agenda_step_edit"),
    path(STEP + "delete/", views.agenda_step_delete, name="agenda_step_delete"),
    path(STEP + "move/", views.agenda_step_move, name="agenda_step_move"),
    path(SESSION + "mode/", views.session_mode, name="session_mode"),
    path(SESSION + "mode/live/", views.session_mode_live, name="session_mode_live"),
    path(SESSION + "mode/step/", views.session_step, name="session_step"),
    path(SESSION + "final/", views.final_session, name="final_session"),
    path(SESSION + "final/<int:grade_pk>/adopt/", views.grade_adopt, name="grade_adopt"),
]
