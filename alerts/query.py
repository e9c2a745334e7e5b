"""A directory view as alerts know it: its query string, read by the one FilterSet."""

from django.http import QueryDict

from initiatives.filters import NOT_FILTERING, InitiativeFilterSet


def view_filterset(query):
    """The one FilterSet of a directory view given by its query string (or a QueryDict)."""
    params = query if isinstance(query, QueryDict) else QueryDict(query)
    return InitiativeFilterSet(params)


def canonical_query(filterset):
    """The query string of a *valid* view's filters: its order, its page, the commune it is
    measured from never change what is new in it, so they are left out; the rest is kept as
    given, sorted, so that one view has one text (one feed, one subscription)."""
    params = filterset.data
    pairs = sorted(
        (name, value)
        for name in filterset.filters
        if name not in NOT_FILTERING
        for value in set(params.getlist(name))
        if value != ""
    )
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    return query.urlencode()
