from __future__ import annotations

from django.urls import path

from programmes import exchange_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("p/<slug:slug>/", views.programme_overview, name="programme_overview"),
    path("p/<slug:slug>/ambition/", views.ambition_edit, name="ambition_edit"),
    path("p/<slug:slug>/framing/", views.framing_edit, name="framing_edit"),
    path("p/<slug:slug>/settings/", views.programme_settings, name="programme_settings"),
    path("p/<slug:slug>/export/", exchange_views.programme_export, name="programme_export"),
    path("programmes/import/", exchange_views.programme_import, name="programme_import"),
    path("p/<slug:slug>/anchors/", views.anchors, name="anchors"),
    path("p/<slug:slug>/anchors/<int:pk>/delete/", views.anchor_delete, name="anchor_delete"),
    path("p/<slug:slug>/years/<int:number>/", views.year_designer, name="year_designer"),
    path("p/<slug:slug>/years/<int:number>/edit/", views.year_edit, name="year_edit"),
    path("p/<slug:slug>/years/<int:number>/activities/new/", views.activity_new, name="activity_new"),
    path("p/<slug:slug>/activities/<int:pk>/", views.activity_row, name="activity_row"),
    path("p/<slug:slug>/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("p/<slug:slug>/activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("p/<slug:slug>/activities/<int:pk>/move/", views.activity_move, name="activity_move"),
]
