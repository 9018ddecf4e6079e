from __future__ import annotations

from django.urls import path

from workshops.views import impact as views

urlpatterns = [
    path("p/<slug:slug>/impact/", views.impact, name="impact"),
    path("p/<slug:slug>/impact/quotes/new/", views.quote_new, name="quote_new"),
    path("p/<slug:slug>/impact/quotes/<int:pk>/edit/", views.quote_edit, name="quote_edit"),
    path("p/<slug:slug>/impact/quotes/<int:pk>/delete/", views.quote_delete, name="quote_delete"),
    path("p/<slug:slug>/impact/pqr/new/", views.reasoning_new, name="reasoning_new"),
    path("p/<slug:slug>/impact/pqr/<int:pk>/edit/", views.reasoning_edit, name="reasoning_edit"),
    path("p/<slug:slug>/impact/pqr/<int:pk>/delete/", views.reasoning_delete, name="reasoning_delete"),
]
