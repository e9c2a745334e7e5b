""" "Nearby" searches the coordinates index for ids first, then reads only the few rows kept."""

import math

from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import Initiative
from tests.scale_world import add_samples


def sorted_by_distance(initiatives, origin):
    """Every initiative sorted by its distance to ``origin``, in Python: what nearby must give."""
    k = math.cos(math.radians(origin.latitude))
    return sorted(
        initiatives,
        key=lambda i: (
            (i.latitude - origin.latitude) ** 2 + ((i.longitude - origin.longitude) * k) ** 2,
            i.pk,
        ),
    )


def test_nearby_sorts_ids_only_and_reads_the_kept_rows_with_their_relations(communes):
    add_samples(60)
    origin = Initiative.objects.published().first()
    with CaptureQueriesContext(connection) as context:
        nearby = (
            Initiative.objects.published()
            .exclude(pk=origin.pk)
            .with_public_relations()
            .nearest(origin.latitude, origin.longitude, 5)
        )
        names = [(i.name, i.commune.name, [t.pk for t in i.themes.all()]) for i in nearby]
    sorting = [q["sql"] for q in context.captured_queries if 'AS "distance"' in q["sql"]]
    assert sorting and all("JOIN" not in sql for sql in sorting)
    assert len(names) == 5


def test_nearby_is_the_same_as_sorting_everything_by_distance(communes):
    add_samples(60)
    origin = Initiative.objects.published().last()
    published = Initiative.objects.published().exclude(pk=origin.pk)
    expected = sorted_by_distance(published, origin)[:5]
    got = published.with_public_relations().nearest(origin.latitude, origin.longitude, 5)
    assert [i.pk for i in got] == [i.pk for i in expected]


def test_in_a_dense_city_nearby_is_still_the_same_as_sorting_everything(communes):
    crowded = communes[-1]
    crowded.population = 5_000_000  # samples are drawn by population: most land here
    crowded.save()
    add_samples(400)
    origin = Initiative.objects.published().filter(commune=crowded).last()
    published = Initiative.objects.published().exclude(pk=origin.pk)
    expected = sorted_by_distance(published, origin)[:5]
    got = published.nearest(origin.latitude, origin.longitude, 5)
    assert [i.pk for i in got] == [i.pk for i in expected]
    assert (expected[-1].latitude - origin.latitude) ** 2 < 0.01**2  # found in the first box
