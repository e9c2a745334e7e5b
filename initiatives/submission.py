"""Public views: submit an initiative, suggest a correction, and the JSON the form uses."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ssemap.auth import client_ip
from territories.models import Territory

from . import emails
from .corrections import changed_values
from .duplicates import find_duplicates
from .forms import CorrectionForm, SubmissionForm, resolve_commune
from .models import Correction, Initiative

RATE_WINDOW_SECONDS = 3600


def rate_limit():
    """How many submissions (initiatives and corrections) one address may send per hour."""
    return getattr(settings, "SUBMISSION_RATE_LIMIT", 5)


def client_address(request):
    # Behind the reverse proxy, the address it reports (CLIENT_IP_HEADER, docs/DEPLOY.md).
    return client_ip(request) or "unknown"


def _rate_key(request):
    return f"submission-rate:{client_address(request)}"


def rate_limited(request):
    return cache.get(_rate_key(request), 0) >= rate_limit()


def count_submission(request):
    key = _rate_key(request)
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)


def too_many(request, template, context):
    context = {**context, "rate_limited": True, "rate_limit": rate_limit()}
    return render(request, template, context, status=429)


def submit(request):
    """The public form: a new initiative, stored as pending until a curator publishes it."""
    template = "initiatives/submit.html"
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        if rate_limited(request):
            return too_many(request, template, {"form": form})
        if form.is_bot:
            count_submission(request)
            return redirect("initiatives:submit_done")
        if form.is_valid():
            with transaction.atomic():
                initiative = form.save()
                review_url = request.build_absolute_uri(
                    reverse("admin:initiatives_initiative_change", args=[initiative.pk])
                )
                emails.notify_new_submission(initiative, review_url=review_url)
                emails.acknowledge_submission(initiative)
            count_submission(request)
            return redirect("initiatives:submit_done")
    else:
        form = SubmissionForm()
    return render(request, template, {"form": form})


def submit_done(request):
    return render(request, "initiatives/submit_done.html")


def correct(request, slug):
    """Suggest a correction to a published initiative; stored apart until a curator accepts."""
    initiative = get_object_or_404(Initiative.objects.published(), slug=slug)
    template = "initiatives/correct.html"
    context = {"initiative": initiative}
    if request.method == "POST":
        form = CorrectionForm(request.POST, instance=Initiative.objects.get(pk=initiative.pk))
        context["form"] = form
        if rate_limited(request):
            return too_many(request, template, context)
        if form.is_bot:
            count_submission(request)
            return redirect("initiatives:correct_done", slug=slug)
        if form.is_valid():
            proposed = changed_values(initiative, form.cleaned_data)
            if not proposed:
                form.add_error(
                    None, _("Nothing was changed: edit the fields that are wrong, then send.")
                )
            else:
                with transaction.atomic():
                    correction = Correction.objects.create(
                        initiative=initiative,
                        proposed=proposed,
                        message=form.cleaned_data["message"],
                        submitter_name=form.cleaned_data["submitter_name"],
                        submitter_email=form.cleaned_data["submitter_email"],
                    )
                    review_url = request.build_absolute_uri(
                        reverse("admin:initiatives_correction_change", args=[correction.pk])
                    )
                    emails.notify_new_correction(correction, review_url=review_url)
                count_submission(request)
                return redirect("initiatives:correct_done", slug=slug)
    else:
        context["form"] = CorrectionForm(instance=initiative)
    return render(request, template, context)


def correct_done(request, slug):
    initiative = get_object_or_404(Initiative.objects.published(), slug=slug)
    return render(request, "initiatives/correct_done.html", {"initiative": initiative})


def commune_json(commune):
    return {
        "code": commune.code,
        "name": commune.name,
        "label": str(commune),
        "department": commune.department.name if commune.department_id else "",
        "postcodes": commune.postcodes.split(),
        "latitude": commune.latitude,
        "longitude": commune.longitude,
    }


@require_GET
def communes(request):
    """Communes matching ``q`` (name prefix, postcode or INSEE code), the likeliest first."""
    text = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable())
    text = " ".join(text.split())[:80]
    if len(text) < 2:
        return JsonResponse({"results": []})
    matches = (
        Territory.objects.communes()
        .search(text)
        .select_related("department")
        .annotate(
            exact=Case(
                When(name__iexact=text, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("exact", "-population", "name")[:10]
    )
    return JsonResponse({"results": [commune_json(c) for c in matches]})


@require_GET
def duplicates(request):
    """Published initiatives with a name like ``name`` near ``commune`` (a code or a label)."""
    name = "".join(ch for ch in request.GET.get("name", "")[:150] if ch.isprintable())
    commune_text = "".join(ch for ch in request.GET.get("commune", "")[:160] if ch.isprintable())
    try:
        commune = resolve_commune(commune_text)
    except ValidationError:  # unknown or ambiguous: no hint rather than an error
        return JsonResponse({"results": []})
    results = [
        {
            "name": initiative.name,
            "commune": str(initiative.commune),
            "url": initiative.get_absolute_url(),
            "correct_url": reverse("initiatives:correct", args=[initiative.slug]),
            "score": round(score, 2),
        }
        for initiative, score in find_duplicates(name, commune)
    ]
    return JsonResponse({"results": results})
