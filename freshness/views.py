"""Public views of freshness: the three links of a reminder, "this is my initiative", and the
message relayed to an initiative's people.

A link's GET shows a page with a button, and only its POST acts: mail scanners and link
previews that fetch every link change nothing.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from contributions.ratelimit import allow
from initiatives.models import Initiative

from . import emails, links, owners
from .forms import ClosureForm, ContactForm
from .models import ClosureReport


def invalid_link(request):
    return render(request, "freshness/invalid_link.html", status=400)


def _owner_links(initiative):
    """Fresh signed links for someone who just proved they read the listed address."""
    return {
        "confirm_token": links.make_token(initiative, links.CONFIRM),
        "update_url": reverse("contributions:correct", args=[initiative.slug])
        + "?owner="
        + links.make_token(initiative, links.UPDATE),
        "closed_token": links.make_token(initiative, links.CLOSED),
    }


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Still accurate: one click shows the page, its button confirms."""
    initiative = links.read_token(token, links.CONFIRM)
    if initiative is None:
        return invalid_link(request)
    done = request.method == "POST"
    if done:
        owners.confirm(initiative)
    context = {"initiative": initiative, "done": done, "token": token}
    return render(request, "freshness/confirm.html", context)


@require_http_methods(["GET", "POST"])
def closed(request, token):
    """It has closed: to the curators' queue, who archive it (nothing is archived here)."""
    initiative = links.read_token(token, links.CLOSED)
    if initiative is None:
        return invalid_link(request)
    form = ClosureForm(request.POST or None)
    context = {"initiative": initiative, "form": form, "token": token, "done": False}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "freshness/closed.html", context, status=400)
        try:
            with transaction.atomic():
                ClosureReport.objects.create(
                    initiative=initiative, message=form.cleaned_data["message"]
                )
        except IntegrityError:  # already reported and waiting for a curator
            pass
        context["done"] = True
    return render(request, "freshness/closed.html", context)


@require_POST
def claim(request, slug):
    """This is my initiative: a link goes to the listed address (never shown here)."""
    initiative = get_object_or_404(Initiative.objects.published(), slug=slug)
    if not initiative.contact_email:
        return render(request, "freshness/claim.html", {"initiative": initiative}, status=400)
    limit = settings.CONTACT_RATE_LIMIT
    if not allow(request, "contact", limit):
        context = {"initiative": initiative, "rate_limited": True}
        return render(request, "freshness/claim.html", context, status=429)
    emails.send_claim_link(initiative)
    return render(request, "freshness/claim.html", {"initiative": initiative, "sent": True})


@require_http_methods(["GET", "POST"])
def claim_confirm(request, token):
    initiative = links.read_token(token, links.CLAIM)
    if initiative is None:
        return invalid_link(request)
    done = request.method == "POST"
    if done:
        owners.claim(initiative)
    context = {"initiative": initiative, "done": done, "token": token}
    if done:
        context.update(_owner_links(initiative))
    return render(request, "freshness/claim_confirm.html", context)


@require_http_methods(["GET", "POST"])
def contact(request, slug):
    """Write to an initiative's people: relayed by e-mail, their address never shown."""
    initiative = get_object_or_404(Initiative.objects.published(), slug=slug)
    template = "freshness/contact.html"
    if not initiative.contact_email:
        return render(request, template, {"initiative": initiative}, status=404)
    if request.method != "POST":
        return render(request, template, {"initiative": initiative, "form": ContactForm()})
    form = ContactForm(request.POST)
    context = {"initiative": initiative, "form": form}
    if not allow(request, "contact", settings.CONTACT_RATE_LIMIT):
        return render(request, template, {**context, "rate_limited": True}, status=429)
    if form.is_bot:
        return redirect("freshness:contact_done", slug=slug)
    if not form.is_valid():
        return render(request, template, context, status=400)
    emails.relay_message(
        initiative,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        message=form.cleaned_data["message"],
    )
    return redirect("freshness:contact_done", slug=slug)


def contact_done(request, slug):
    initiative = get_object_or_404(Initiative.objects.published(), slug=slug)
    return render(request, "freshness/contact_done.html", {"initiative": initiative})
