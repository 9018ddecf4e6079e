from __future__ import annotations

from django.urls import path

from workshops.views import captures as views

urlpatterns = [
    path("p/<slug:slug>/captures/", views.captures, name="captures"),
    path("p/<slug:slug>/captures/upload/", views.capture_upload, name="capture_upload"),
    path("p/<slug:slug>/captures/<int:pk>/", views.capture_detail, name="capture_detail"),
    path("p/<slug:slug>/captures/<int:pk>/<str:size>.jpg", views.capture_image, name="capture_image"),
    path("p/<slug:slug>/captures/<int:pk>/edit/", views.capture_edit, name="capture_edit"),
    path("p/<slug:slug>/captures/<int:pk>/brochure/", views.capture_brochure, name="capture_brochure"),
    path("p/<slug:slug>/captures/<int:pk>/delete/", views.capture_delete, name="capture_delete"),
    path("p/<slug:slug>/captures/<int:pk>/card/", views.capture_to_card, name="capture_to_card"),
    path("p/<slug:slug>/captures/<int:pk>/activity/", views.capture_to_activity, name="capture_to_activity"),
]
