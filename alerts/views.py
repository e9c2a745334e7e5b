"""The feed of a directory view, and e-mail alerts about it without an account.

A view is its query string, read by the one FilterSet (``initiatives/filters.py``): an
invalid one is answered 400 with the reasons, as the directory does.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from contributions.ratelimit import allow
from initiatives import caching
from initiatives.api import bad_request, http_cached, once_per_request
from initiatives.filters import NOT_FILTERING

from . import digests, links
from .feeds import atom_feed
from .forms import SubscribeForm
from .models import Subscription
from .query import canonical_query, view_filterset

QUERY_MAX_LENGTH = Subscription._meta.get_field("query").max_length


@once_per_request
def _feed_request(request):
    """The feed's FilterSet, for the validators and the view."""
    return view_filterset(request.GET)


@once_per_request
def _feed_key(request):
    """``(key, scopes)`` of a valid feed request (for its ETag and Last-Modified), else None."""
    filterset = _feed_request(request)
    if not filterset.is_valid():
        return None
    return caching.filter_key(filterset, exclude=NOT_FILTERING), caching.filter_scopes(filterset)


@require_GET
@http_cached(_feed_key)
def feed(request):
    """The Atom feed of the view's newest published initiatives: cached on the view's data,
    and answered 304 to a feed reader whose copy is current."""
    filterset = _feed_request(request)
    if not filterset.is_valid():
        return bad_request(filterset.form)
    key, scopes = _feed_key(request)
    text = caching.cached(
        "alerts-feed",
        [key, request.build_absolute_uri("/")],
        lambda: atom_feed(request, filterset, canonical_query(filterset)),
        scopes=scopes,
    )
    response = HttpResponse(text, content_type="application/atom+xml; charset=utf-8")
    patch_vary_headers(response, ("Accept-Language",))
    return caching.revalidate(response)


def _errors(filterset):
    return [message for messages in filterset.form.errors.values() for message in messages]


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """Ask for a digest of the view in the address's query string (double opt-in)."""
    filterset = view_filterset(request.GET)
    template = "alerts/subscribe.html"
    if not filterset.is_valid():
        return render(request, template, {"errors": _errors(filterset)}, status=400)
    query = canonical_query(filterset)
    if len(query) > QUERY_MAX_LENGTH:
        errors = [_("This view has too many filters to be followed: remove some of them.")]
        return render(request, template, {"errors": errors}, status=400)
    context = {
        "view": digests.describe(filterset),
        "query": query,
        "view_url": reverse("initiatives:list") + (f"?{query}" if query else ""),
        "feed_url": reverse("alerts:feed") + (f"?{query}" if query else ""),
    }
    if request.method == "POST":
        form = context["form"] = SubscribeForm(request.POST)
        if not allow(request, "alert", settings.ALERT_RATE_LIMIT):
            context["rate_limited"] = True
            return render(request, template, context, status=429)
        if form.is_bot:
            return redirect("alerts:subscribe_done")
        if form.is_valid():
            _ask_confirmation(request, form.cleaned_data, query)
            return redirect("alerts:subscribe_done")
        return render(request, template, context, status=400)
    context["form"] = SubscribeForm()
    return render(request, template, context)


def _ask_confirmation(request, data, query):
    """Store the address (unconfirmed) and send the confirmation; the page says the same
    whether the address was already subscribed or not, so it tells nobody who is."""
    email = data["email"].strip().lower()
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscription, created = Subscription.objects.get_or_create(
                    email=email,
                    query=query,
                    defaults={"frequency": data["frequency"], "language": request.LANGUAGE_CODE},
                )
        except IntegrityError:  # the same address and view, asked at the same moment
            subscription, created = Subscription.objects.get(email=email, query=query), False
        if created and _too_many_pending(email):
            # Someone is asking for many views in another's name: that mailbox hears no more.
            subscription.delete()
            return
        if not created and subscription.confirmed_at is None:
            # Asked again: the new link lives its full time, and so does the address.
            Subscription.objects.filter(pk=subscription.pk).update(
                created_at=timezone.now(), language=request.LANGUAGE_CODE
            )
            subscription.language = request.LANGUAGE_CODE
        digests.enqueue_confirmation(subscription, data["frequency"])


def _too_many_pending(email):
    pending = Subscription.objects.filter(email=email, confirmed_at__isnull=True)
    return pending.count() > settings.ALERT_PENDING_PER_ADDRESS


def subscribe_done(request):
    return render(request, "alerts/subscribe_done.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link of the confirmation mail: a button (mail scanners follow links), then done."""
    found = links.read_confirm_token(token)
    subscription = found and Subscription.objects.filter(key=found[0]).first()
    if not subscription:
        context = {"days": settings.ALERT_CONFIRM_DAYS}
        return render(request, "alerts/link_invalid.html", context, status=404)
    if request.method == "POST":
        now = timezone.now()
        Subscription.objects.filter(pk=subscription.pk).update(
            frequency=found[1],
            confirmed_at=subscription.confirmed_at or now,
            digest_since=subscription.digest_since or now,
        )
        return render(
            request,
            "alerts/confirmed.html",
            {
                "view": digests.describe(subscription),
                "unsubscribe_token": links.unsubscribe_token(subscription),
            },
        )
    return render(
        request,
        "alerts/confirm.html",
        {"view": digests.describe(subscription), "token": token},
    )


@csrf_exempt  # RFC 8058: mail programs POST here, without any token but the link's own
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page with one button; POST (that button, or a mail program's one-click
    ``List-Unsubscribe-Post``): the address is deleted at once."""
    key = links.read_unsubscribe_token(token)
    subscription = key and Subscription.objects.filter(key=key).first()
    if request.method == "POST" and subscription:
        subscription.delete()
    if request.method == "POST" or not subscription:
        # Already gone is gone: the same answer, so a repeated click is not an error.
        status = 200 if key else 404
        return render(request, "alerts/unsubscribed.html", {"valid": bool(key)}, status=status)
    return render(
        request,
        "alerts/unsubscribe.html",
        {"view": digests.describe(subscription), "token": token},
    )
