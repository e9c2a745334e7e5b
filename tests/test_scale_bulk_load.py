"""A load of many initiatives with the triggers off (``load_demo --bulk``, which
bench/build_db.sh uses for the 1M database) ends exactly where the same load with the triggers
on ends: the same memberships' copy, the same facet, pair and cell tallies; and the triggers
are on again afterwards, even when the load fails. Built in one thread and written in another,
it commits everything or nothing.
"""

import pytest
from django.db import connection

from initiatives import caching
from initiatives.bulk import loading, pipelined
from initiatives.demo import generate_samples, insert_samples, sample_batches
from initiatives.models import (
    CellTally,
    FacetTally,
    FilteredCellTally,
    Initiative,
    PairTally,
    Theme,
)
from initiatives.models.memberships import Memberships
from initiatives.models.tally import EVERYWHERE
from tests.scale_world import add_samples

pytestmark = pytest.mark.django_db


def cells(model, *keys):
    """The cells of a cell tally, by level, position and ``keys``: sums rounded, arrays as
    tuples, the cells' sum of ids left out."""
    summed = ("sum_lat", "sum_lon")
    columns = ("level", "cell_x", "cell_y", *keys, "n", *summed, "west", "south", "east", "north")

    def comparable(column, value):
        if column in summed:
            return round(value, 6)
        return tuple(value) if isinstance(value, list) else value

    rows = model.objects.filter(n__gt=0).values(*columns)
    return {tuple(comparable(column, value) for column, value in row.items()) for row in rows}


def derived():
    """Everything the triggers keep, keyed so that two loads of the same samples compare
    (the ids differ between them: the copy is keyed by slug, the cells' sum of ids left out)."""
    return {
        "copies": {
            row[0]: row[1:] for row in Initiative.objects.values_list("slug", *Memberships.FIELDS)
        },
        "facets": set(
            FacetTally.objects.filter(n__gt=0).values_list("territory_id", "facet", "value", "n")
        ),
        "pairs": set(
            PairTally.objects.filter(n__gt=0).values_list(
                "territory_id", "given", "facet", "value", "n"
            )
        ),
        "cells": cells(CellTally),
        "filtered": cells(FilteredCellTally, "size_class", "low_tech", "legal_form", "theme_ids"),
    }


def test_a_load_without_the_triggers_ends_as_the_same_load_with_them(communes):
    add_samples(600, seed=7)
    with_triggers = derived()
    assert with_triggers["facets"]  # the load did count something
    if connection.vendor == "postgresql":
        assert with_triggers["pairs"] and with_triggers["cells"] and with_triggers["filtered"]
        assert all(copy[0] is not None for copy in with_triggers["copies"].values())

    Initiative.objects.all().delete()
    assert not derived()["facets"]
    with loading():
        add_samples(600, seed=7)
        if connection.vendor == "postgresql":
            # A loader that writes no copy (generate_samples writes one): the recount does.
            Initiative.objects.update(theme_ids=None, practice_ids=None, size_class="")
    assert derived() == with_triggers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps its triggers")
def test_the_triggers_are_on_again_after_the_load_and_after_a_failed_one(communes):
    def counted():
        total = FacetTally.objects.filter(territory_id=EVERYWHERE, facet="total")
        return total.values_list("n", flat=True).first() or 0

    with loading():
        add_samples(50)
        assert counted() == 0  # nothing counted while loading: the recount comes at the end
    assert counted() == 50

    region = Initiative.objects.first().region_id
    before = caching.scoped_version([f"t:{region}"]), caching.data_version()
    with loading():
        add_samples(50, seed=4)
    after = caching.scoped_version([f"t:{region}"]), caching.data_version()
    assert after[0] != before[0] and after[1] != before[1]  # its cached answers are stale now
    Initiative.objects.filter(pk__in=Initiative.objects.order_by("-pk")[:50]).delete()

    with pytest.raises(RuntimeError), loading():
        add_samples(50, seed=2)
        raise RuntimeError("the load fails half-way")
    assert Initiative.objects.count() == 50  # rolled back, as a whole

    add_samples(10, seed=3)  # an ordinary write, after both
    assert counted() == 60
    relinked = Initiative.objects.filter(theme_ids__isnull=False).first()
    theme = Theme.objects.exclude(pk__in=relinked.theme_ids).first()
    relinked.themes.add(theme)  # the memberships' trigger copies a new link again
    relinked.refresh_from_db()
    assert theme.pk in relinked.theme_ids


@pytest.mark.django_db(transaction=True)  # the writing thread has its own connection
def test_a_load_written_by_a_second_thread_commits_everything_or_nothing(communes):
    pipelined(sample_batches(300, seed=7, batch_size=100), insert_samples)
    loaded = derived()
    assert len(loaded["copies"]) == 300

    Initiative.objects.all().delete()
    generate_samples(300, seed=7, batch_size=100)  # the same, one after the other, triggers on
    assert derived() == loaded

    def builds_then_fails():
        yield from sample_batches(100, seed=8, batch_size=50)
        raise ValueError("a batch cannot be built")

    with pytest.raises(ValueError):
        pipelined(builds_then_fails(), insert_samples)

    def fails_to_write(rows, links):
        insert_samples(rows, links)
        raise ValueError("a batch cannot be written")

    with pytest.raises(ValueError):
        pipelined(sample_batches(100, seed=9, batch_size=50), fails_to_write)
    assert derived() == loaded  # neither left a row, nor a count
