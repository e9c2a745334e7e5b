"""The Atom feed of a directory view: its newest published initiatives, newest first."""

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import digests

FEED_SIZE = 50


def atom_feed(request, filterset, query):
    """The feed's XML text for a valid FilterSet; ``query`` its canonical query string."""
    suffix = f"?{query}" if query else ""
    view_url = request.build_absolute_uri(reverse("initiatives:list") + suffix)
    initiatives = list(
        filterset.queryset_without()
        .filter(published_at__isnull=False)
        .select_related("commune")
        .prefetch_related("themes")
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )
    feed = Atom1Feed(
        title=_("New initiatives — %(view)s") % {"view": digests.describe(filterset)},
        link=view_url,
        description=_("The newest initiatives published in this view of the ssemap directory."),
        language=get_language(),
        feed_url=request.build_absolute_uri(reverse("alerts:feed") + suffix),
        feed_guid=view_url,
    )
    for initiative in initiatives:
        url = request.build_absolute_uri(initiative.get_absolute_url())
        feed.add_item(
            title=initiative.name,
            link=url,
            description=f"{initiative.summary} — {initiative.commune.name}",
            # Stable when the name (and so the address) changes.
            unique_id=f"tag:{request.get_host()},2026:initiative:{initiative.pk}",
            pubdate=initiative.published_at,
            updateddate=initiative.published_at,
            categories=[theme.name for theme in initiative.themes.all()],
        )
    return feed.writeString("utf-8")
