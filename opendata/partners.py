"""The partners' write API: an initiative sent with a token arrives as a pending submission,
through the public form's cleaning and duplicate detection; its partner can follow it."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework.response import Response

from contributions import emails
from initiatives.api import error_payload
from initiatives.duplicates import find_duplicates
from initiatives.models import Initiative, Status

from . import serializers as s
from .forms import PartnerInitiativeForm, form_data
from .models import PartnerSubmission
from .rest import ApiView, IsPartner, PartnerTokenAuthentication
from .views import TOO_MANY, InitiativeList

# One initiative is a few kilobytes of text: a larger body is refused before it is read.
MAX_BODY_BYTES = 64 * 1024
EXAMPLE = {
    "name": "Repair café du Cap",
    "summary": "Un atelier de réparation ouvert à toutes et tous, chaque samedi.",
    "organisation": "Les Bricoleurs du Cap",
    "legal_form": "association",
    "themes": ["economie-proximite", "environnement"],
    "practices": ["consommation-collaborative"],
    "low_tech_qualities": ["simple", "appropriable"],
    "commune": "29197",
    "address": "1 rue du Port",
    "latitude": 48.02,
    "longitude": -4.49,
    "website": "https://repair.example.org",
    "contact_email": "contact@repair.example.org",
    "year_started": 2019,
}
UNAUTHORISED = OpenApiResponse(
    s.DetailSerializer, description=gettext_lazy("No token, or an unknown or revoked one.")
)


def submission_payload(request, submission, duplicates=None):
    initiative = submission.initiative
    published = initiative.status == Status.PUBLISHED
    if duplicates is None:
        duplicates = find_duplicates(initiative.name, initiative.commune, exclude=initiative)
    return s.SubmissionSerializer(
        {
            "id": submission.pk,
            "status": initiative.status,
            "status_label": Status(initiative.status).label,
            "name": initiative.name,
            "created_at": submission.created_at,
            "url": request.build_absolute_uri(initiative.get_absolute_url()) if published else None,
            "status_url": request.build_absolute_uri(
                reverse("opendata:submission", args=[submission.pk])
            ),
            "possible_duplicates": [
                {
                    "name": other.name,
                    "commune": str(other.commune),
                    "url": request.build_absolute_uri(other.get_absolute_url()),
                }
                for other, _score in duplicates
            ],
        }
    ).data


def body_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # malformed: the parser reads nothing of it
        return 0


class PartnerView(ApiView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [IsPartner]


class Initiatives(InitiativeList):
    """GET: the published initiatives (anyone). POST: a partner sends one (its token)."""

    authentication_classes = [PartnerTokenAuthentication]

    def get_permissions(self):
        return [IsPartner()] if self.request.method == "POST" else []

    def get_authenticators(self):
        # Reading needs no token, so a wrong one does not get in the way of reading.
        if self.request is not None and self.request.method != "POST":
            return []
        return super().get_authenticators()

    @extend_schema(
        summary=gettext_lazy("Send an initiative (partners)"),
        description=gettext_lazy(
            "Checked like the public submission form; stored as pending: nothing is public "
            "before a curator publishes it. 409 when you already sent one with a similar name "
            "nearby that is still pending."
        ),
        request=s.PartnerInitiativeSerializer,
        examples=[OpenApiExample("Repair café", value=EXAMPLE, request_only=True)],
        responses={
            201: s.SubmissionSerializer,
            400: s.ErrorsSerializer,
            401: UNAUTHORISED,
            403: UNAUTHORISED,
            409: s.ConflictSerializer,
            413: s.ErrorsSerializer,
            429: TOO_MANY,
        },
        filters=False,
    )
    def post(self, request):
        token = request.auth
        partner = token.partner
        if body_length(request) > MAX_BODY_BYTES:
            message = _("The body is too large: one initiative is at most %(kb)s KB.") % {
                "kb": MAX_BODY_BYTES // 1024
            }
            return Response({"errors": {"__all__": [message]}}, status=413)
        data, errors = form_data(request.data)
        form = PartnerInitiativeForm(data or {})
        if errors or not form.is_valid():
            payload = error_payload(form) if data is not None else {"errors": {}}
            payload["errors"].update(errors)
            return Response(payload, status=400)
        name, commune = form.cleaned_data["name"], form.cleaned_data["commune"]
        own_pending = Initiative.objects.filter(
            status=Status.PENDING, partner_submission__partner=partner
        )
        resent = find_duplicates(name, commune, queryset=own_pending, limit=1)
        if resent:
            earlier = resent[0][0].partner_submission
            return Response(
                {
                    "detail": _("You already sent “%(name)s”: it is waiting for a curator.")
                    % {"name": earlier.initiative.name},
                    "status_url": request.build_absolute_uri(
                        reverse("opendata:submission", args=[earlier.pk])
                    ),
                },
                status=409,
            )
        with transaction.atomic():
            initiative = form.save_for(partner)
            submission = PartnerSubmission.objects.create(
                partner=partner, token=token, initiative=initiative
            )
            review_url = request.build_absolute_uri(
                reverse("admin:initiatives_initiative_change", args=[initiative.pk])
            )
            emails.notify_new_submission(initiative, review_url=review_url)
        payload = submission_payload(request, submission, find_duplicates(name, commune))
        response = Response(payload, status=201)
        response["Location"] = payload["status_url"]
        return response


class SubmissionList(PartnerView):
    """The initiatives your organisation sent, with where each stands."""

    pagination_class = None

    @extend_schema(
        summary=gettext_lazy("What you sent (partners)"),
        description=gettext_lazy("Your 100 latest submissions, newest first, with their status."),
        responses={200: s.SubmissionSerializer(many=True), 401: UNAUTHORISED, 429: TOO_MANY},
    )
    def get(self, request):
        submissions = (
            PartnerSubmission.objects.filter(partner=request.auth.partner)
            .select_related("initiative__commune__department")
            .order_by("-created_at", "-pk")[:100]
        )
        response = Response([submission_payload(request, sub) for sub in submissions])
        response["Cache-Control"] = "private, no-store"
        return response


class SubmissionDetail(PartnerView):
    """Where one initiative you sent stands: pending, published (with its page) or rejected."""

    @extend_schema(
        summary=gettext_lazy("The status of what you sent (partners)"),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={
            200: s.SubmissionSerializer,
            401: UNAUTHORISED,
            403: UNAUTHORISED,
            404: OpenApiResponse(s.DetailSerializer),
            429: TOO_MANY,
        },
    )
    def get(self, request, pk):
        if not (pk.isascii() and pk.isdigit() and int(pk) < 2**63):
            raise Http404
        # Only its own: another partner's submission is not found, not forbidden.
        submission = get_object_or_404(
            PartnerSubmission.objects.select_related("initiative__commune__department"),
            pk=int(pk),
            partner=request.auth.partner,
        )
        response = Response(submission_payload(request, submission))
        response["Cache-Control"] = "private, no-store"
        return response
