"""Public views: submit an initiative, suggest a correction, and the duplicate hints."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from initiatives.caching import cached
from initiatives.duplicates import find_duplicates
from initiatives.models import Correction, Initiative
from ssemap.text import normalise_name
from territories.forms import resolve_commune

from . import emails
from .corrections import base_of, changed_values, read_seen, seen_token
from .forms import CorrectionForm, SubmissionForm
from .ratelimit import allow, allow_submission, too_many
from .signals import correction_suggested

logger = logging.getLogger(__name__)


def submit(request):
    """The public form: a new initiative, stored as pending until a curator publishes it."""
    template = "contributions/submit.html"
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        # Every attempt counts, valid or not: each costs the server work (an image to check…).
        if not allow_submission(request):
            return too_many(request, template, {"form": form})
        if form.is_bot:
            return redirect("contributions:submit_done")
        if form.is_valid():
            try:
                with transaction.atomic():
                    initiative = form.save()
                    review_url = request.build_absolute_uri(
                        reverse("admin:initiatives_initiative_change", args=[initiative.pk])
                    )
                    emails.notify_new_submission(initiative, review_url=review_url)
                    emails.acknowledge_submission(initiative)
            except OSError:  # the image could not be written (a full or read-only disk)
                logger.exception("Could not store the image of a submission")
                form.add_error(
                    "image",
                    _(
                        "We could not store your image just now, so nothing was sent yet. "
                        "Send the form again without the image, or try again later."
                    ),
                )
                return render(request, template, {"form": form}, status=503)
            return redirect("contributions:submit_done")
    else:
        form = SubmissionForm()
    return render(request, template, {"form": form})


def submit_done(request):
    return render(request, "contributions/submit_done.html")


def correct(request, slug):
    """Suggest a correction to a published initiative; stored apart until a curator accepts."""
    initiative = get_object_or_404(Initiative.objects.published(), slug=slug)
    template = "contributions/correct.html"
    context = {"initiative": initiative}
    if request.method == "POST":
        form = CorrectionForm(request.POST, instance=Initiative.objects.get(pk=initiative.pk))
        context["form"] = form
        if not allow_submission(request):
            return too_many(request, template, context)
        if form.is_bot:
            return redirect("contributions:correct_done", slug=slug)
        if form.is_valid():
            seen = read_seen(form.cleaned_data["seen"])
            proposed = changed_values(initiative, form.cleaned_data, seen)
            if not proposed:
                form.add_error(
                    None, _("Nothing was changed: edit the fields that are wrong, then send.")
                )
            else:
                with transaction.atomic():
                    correction = Correction.objects.create(
                        initiative=initiative,
                        proposed=proposed,
                        base=base_of(initiative, proposed, seen),
                        message=form.cleaned_data["message"],
                        submitter_name=form.cleaned_data["submitter_name"],
                        submitter_email=form.cleaned_data["submitter_email"],
                    )
                    correction_suggested.send(Correction, correction=correction, request=request)
                    review_url = request.build_absolute_uri(
                        reverse("admin:initiatives_correction_change", args=[correction.pk])
                    )
                    emails.notify_new_correction(correction, review_url=review_url)
                return redirect("contributions:correct_done", slug=slug)
    else:
        context["form"] = CorrectionForm(
            instance=initiative, initial={"seen": seen_token(initiative)}
        )
    return render(request, template, context)


def correct_done(request, slug):
    initiative = get_object_or_404(Initiative.objects.published(), slug=slug)
    return render(request, "contributions/correct_done.html", {"initiative": initiative})


@require_GET
def duplicates(request):
    """Published initiatives with a name like ``name`` near ``commune`` (a code or a label).

    Asked as one types, so rate-limited per address and cached on the commune and the
    normalised name (and the data version): the same question costs the database once.
    """
    name = " ".join(request.GET.get("name", "")[:150].split())
    commune_text = request.GET.get("commune", "")[:160]
    if not normalise_name(name) or not commune_text.strip():
        return JsonResponse({"results": []})
    if not allow(
        request,
        "duplicates",
        settings.DUPLICATE_HINT_RATE_LIMIT,
        settings.DUPLICATE_HINT_RATE_WINDOW_SECONDS,
    ):
        message = _("Too many requests for suggestions: try again in a few minutes.")
        return JsonResponse({"results": [], "errors": [message]}, status=429)
    try:
        commune = resolve_commune(commune_text)
    except ValidationError:  # unknown or ambiguous: no hint rather than an error
        return JsonResponse({"results": []})
    results = cached(
        "duplicate-hints",
        (commune.code, normalise_name(name)),
        lambda: duplicate_hints(name, commune),
    )
    return JsonResponse({"results": results})


def duplicate_hints(name, commune):
    return [
        {
            "name": initiative.name,
            "commune": str(initiative.commune),
            "url": initiative.get_absolute_url(),
            "correct_url": reverse("contributions:correct", args=[initiative.slug]),
            "score": round(score, 2),
        }
        for initiative, score in find_duplicates(name, commune)
    ]
