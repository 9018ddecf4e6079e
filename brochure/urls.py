from __future__ import annotations

from django.urls import path

from brochure import views

urlpatterns = [
    path("p/<slug:slug>/brochure/", views.version_list, name="brochure"),
    path("p/<slug:slug>/brochure/publish/", views.publish, name="brochure_publish"),
    path("p/<slug:slug>/brochure/<int:pk>/", views.version_detail, name="brochure_version"),
    path("p/<slug:slug>/brochure/<int:pk>/reviewers/", views.request_review, name="brochure_request_review"),
    path("p/<slug:slug>/brochure/<int:pk>/release/", views.release, name="brochure_release"),
    path("p/<slug:slug>/brochure/<int:pk>/review/", views.review, name="brochure_review"),
    path("p/<slug:slug>/brochure/<int:pk>/resolve/", views.resolve, name="brochure_resolve"),
    path("p/<slug:slug>/brochure/<int:pk>/photos/<int:index>/", views.photo, name="brochure_photo"),
    path("p/<slug:slug>/brochure/<int:pk>/pdf/", views.pdf_status, name="brochure_pdf"),
    path("p/<slug:slug>/brochure/<int:pk>/pdf/download/", views.pdf_download, name="brochure_pdf_download"),
]
