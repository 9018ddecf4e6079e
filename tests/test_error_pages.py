"""Refusals look like Estafette, not like a bare server page."""

from __future__ import annotations

from django.urls import reverse


def test_404_for_another_programme_uses_our_page(client, outsider, programme):
    client.force_login(outsider)

    response = client.get(reverse("programme_overview", args=[programme.slug]))

    assert response.status_code == 404
    assert "This page does not exist, or it is not yours to see" in response.content.decode()


def test_403_for_a_director_editing_the_design_uses_our_page(client, director, programme):
    client.force_login(director)

    response = client.get(reverse("year_edit", args=[programme.slug, 1]))

    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()
