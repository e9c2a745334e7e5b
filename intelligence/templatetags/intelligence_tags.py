from django import template
from django.http import QueryDict
from django.urls import reverse

from ..comparison import compare
from ..missing import missing_levers, missing_solutions

register = template.Library()
COMPARE_WITH = 2


@register.simple_tag
def territory_intelligence(territory):
    """The comparison and "what is missing" of ``territory``, for its page."""
    from ..views import territory_chart

    comparison = compare(territory)
    query = QueryDict(mutable=True)
    query.setlist(
        "t",
        [territory.slug]
        + [slug for _n, slug in list(comparison.peer_names.values())[:COMPARE_WITH]],
    )
    return {
        "comparison": comparison,
        "chart": territory_chart(comparison),
        "missing_solutions": missing_solutions(comparison),
        "missing_levers": missing_levers(comparison),
        "compare_url": f"{reverse('intelligence:compare')}?{query.urlencode()}",
    }
