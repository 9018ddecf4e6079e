from __future__ import annotations

from django.urls import path

from workshops.views import inventory as views

CARD = "p/<slug:slug>/sessions/<int:pk>/inventory/cards/<int:card_pk>"

urlpatterns = [
    path("p/<slug:slug>/sessions/<int:pk>/inventory/", views.inventory, name="inventory"),
    path("p/<slug:slug>/sessions/<int:pk>/inventory/cards/new/", views.card_new, name="card_new"),
    path(f"{CARD}/dot/", views.card_vote, name="card_vote"),
    path(f"{CARD}/edit/", views.card_edit, name="card_edit"),
    path(f"{CARD}/delete/", views.card_delete, name="card_delete"),
    path(f"{CARD}/anchor/", views.card_to_anchor, name="card_to_anchor"),
    path("join/<str:code>/cards/", views.phone_cards, name="phone_cards"),
    path("join/<str:code>/cards/<int:card_pk>/dot/", views.phone_card_vote, name="phone_card_vote"),
    path("p/<slug:slug>/ambition/drafts/", views.ambition_drafts, name="ambition_drafts"),
    path("p/<slug:slug>/ambition/drafts/<int:draft_pk>/vote/", views.ambition_vote, name="ambition_vote"),
    path("p/<slug:slug>/ambition/drafts/<int:draft_pk>/choose/", views.ambition_choose, name="ambition_choose"),
]
