"""Impact quotes and PQR reasonings.

Quotes say what others (families, partners, colleagues, the director) will say when the
programme works; PQR reasonings (do P, by means of Q, in order to contribute to R) are
built from them and later steer the programme. Facilitators, team managers and the
director add and edit both; a facilitator or the author deletes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from programmes.models import Programme
from programmes.permissions import Can, can, get_programme_for_user
from workshops.forms.impact import QuoteForm, ReasoningForm
from workshops.models import ImpactQuote, Reasoning, Speaker

PAGE = "workshops/impact/impact.html"


def group_by_speaker(quotes, speakers) -> list[tuple[str, str, list]]:
    """Quotes per speaker, in the order of `speakers` ((value, label) pairs), leaving out
    speakers without quotes: [(value, label, [quote, …])]. Quotes keep their given order."""
    grouped: dict[str, list] = {value: [] for value, _label in speakers}
    for quote in quotes:
        grouped.setdefault(quote.speaker, []).append(quote)
    labels = dict(speakers)
    return [(value, str(labels.get(value, value)), items) for value, items in grouped.items() if items]


def may_delete(membership, user, item) -> bool:
    """A facilitator deletes every quote and reasoning; others the ones they wrote."""
    return can(membership, Can.MANAGE) or (item.author_id is not None and item.author_id == user.pk)


def _impact_url(programme: Programme, anchor: str = "") -> str:
    return reverse("impact", args=[programme.slug]) + (f"#{anchor}" if anchor else "")


def _impact_context(request: HttpRequest, programme: Programme, membership) -> dict:
    """Quotes and reasonings linked both ways: three queries whatever their number."""
    reasonings = list(
        Reasoning.objects.filter(programme=programme).prefetch_related(
            Prefetch("quotes", queryset=ImpactQuote.objects.order_by("pk"))
        )
    )
    quotes = list(ImpactQuote.objects.filter(programme=programme).order_by("pk"))
    built_into: dict[int, list] = {quote.pk: [] for quote in quotes}
    for number, reasoning in enumerate(reasonings, start=1):
        reasoning.number = number
        reasoning.deletable = may_delete(membership, request.user, reasoning)
        for quote in reasoning.quotes.all():
            built_into.setdefault(quote.pk, []).append(reasoning)
    for quote in quotes:
        quote.used_in = built_into[quote.pk]
        quote.deletable = may_delete(membership, request.user, quote)
    return {
        "programme": programme,
        "groups": group_by_speaker(quotes, Speaker.choices),
        "quote_count": len(quotes),
        "reasonings": reasonings,
        "quote_form": QuoteForm(),
    }


@login_required
def impact(request: HttpRequest, slug: str) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    return render(request, PAGE, _impact_context(request, programme, membership))


@login_required
@require_http_methods(["GET", "POST"])
def quote_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug)
    form = QuoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        quote = form.save(commit=False)
        quote.programme = programme
        quote.author = request.user
        quote.save()
        messages.success(request, _("The quote is added."))
        return redirect(_impact_url(programme, f"quote-{quote.pk}"))
    # A refused quote comes back on its own page, where the messages are in view.
    return render(request, "workshops/impact/quote_form.html", {"programme": programme, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def quote_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug)
    quote = get_object_or_404(ImpactQuote, pk=pk, programme=programme)
    form = QuoteForm(request.POST or None, instance=quote)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The quote is saved."))
        return redirect(_impact_url(programme, f"quote-{quote.pk}"))
    return render(request, "workshops/impact/quote_form.html", {"programme": programme, "form": form, "quote": quote})


@login_required
@require_POST
def quote_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    quote = get_object_or_404(ImpactQuote, pk=pk, programme=programme)
    if not may_delete(membership, request.user, quote):
        raise PermissionDenied
    quote.delete()
    messages.success(request, _("The quote is deleted; the reasonings built from it stay."))
    return redirect(_impact_url(programme, "quotes"))


def _reasoning_form_page(request: HttpRequest, programme: Programme, form, reasoning=None) -> HttpResponse:
    return render(
        request,
        "workshops/impact/reasoning_form.html",
        {"programme": programme, "form": form, "reasoning": reasoning},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reasoning_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug)
    initial = {"quotes": request.GET.getlist("quote")} if request.method == "GET" else None
    form = ReasoningForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        reasoning = form.save(commit=False)
        reasoning.programme = programme
        reasoning.author = request.user
        reasoning.save()
        form.save_m2m()
        messages.success(request, _("The PQR reasoning is added."))
        return redirect(_impact_url(programme, f"pqr-{reasoning.pk}"))
    return _reasoning_form_page(request, programme, form)


@login_required
@require_http_methods(["GET", "POST"])
def reasoning_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, _membership = get_programme_for_user(request.user, slug)
    reasoning = get_object_or_404(Reasoning, pk=pk, programme=programme)
    form = ReasoningForm(request.POST or None, instance=reasoning, programme=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The PQR reasoning is saved."))
        return redirect(_impact_url(programme, f"pqr-{reasoning.pk}"))
    return _reasoning_form_page(request, programme, form, reasoning)


@login_required
@require_POST
def reasoning_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme, membership = get_programme_for_user(request.user, slug)
    reasoning = get_object_or_404(Reasoning, pk=pk, programme=programme)
    if not may_delete(membership, request.user, reasoning):
        raise PermissionDenied
    reasoning.delete()
    messages.success(request, _("The PQR reasoning is deleted; its quotes stay."))
    return redirect(_impact_url(programme, "reasonings"))
