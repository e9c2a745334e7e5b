"""SQLite's triggers (data versions, full-text index) never block a migration and never go missing.

SQLite alters a table by rebuilding it, and the rebuild fails while a trigger elsewhere names the
table (the link tables' version triggers and the index's commune trigger do). So the triggers
stand aside while ``migrate`` applies migrations and come back after it, with the index filled
again and every data version moved.
"""

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from curation.moderation import transition
from initiatives.models import DataVersion, Initiative, Status
from initiatives.search import search
from initiatives.triggers import (
    create_sqlite_triggers,
    drop_sqlite_triggers,
    sqlite_trigger_names,
)
from tests.factories import InitiativeFactory, PendingInitiativeFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="PostgreSQL keeps triggers through ALTER TABLE"
    ),
    pytest.mark.django_db(transaction=True),
]

EXPECTED = {
    "ssemap_public_version_insert",
    "ssemap_public_version_update",
    "ssemap_public_version_delete",
    "initiatives_search_insert",
    "initiatives_search_update",
    "initiatives_search_delete",
    "initiatives_search_commune",
}
A_PLAN = [("a migration", False)]  # what migrate passes when it has something to apply


def data_version():
    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def rebuild_initiative_table():
    """What SQLite does for most ``AlterField`` or ``AddField`` on the initiative table."""
    with connection.schema_editor() as schema_editor:
        schema_editor._remake_table(Initiative)


def test_a_migrated_database_has_every_trigger():
    assert sqlite_trigger_names() >= EXPECTED


def test_with_the_triggers_in_place_sqlite_cannot_rebuild_the_initiative_table():
    with pytest.raises(OperationalError, match="initiatives_initiative"):
        rebuild_initiative_table()


def test_around_a_migration_the_triggers_step_aside_and_come_back():
    drop_sqlite_triggers(plan=A_PLAN)
    assert not sqlite_trigger_names()
    rebuild_initiative_table()  # a migration altering the table: it succeeds
    create_sqlite_triggers(plan=A_PLAN)
    assert sqlite_trigger_names() >= EXPECTED


def test_what_a_migration_wrote_is_searchable_and_moves_the_versions_afterwards():
    drop_sqlite_triggers(plan=A_PLAN)
    written_unwatched = InitiativeFactory(name="Conserverie des Monts")
    before = data_version()
    create_sqlite_triggers(plan=A_PLAN)

    assert search(Initiative.objects.all(), "conserverie").filter(pk=written_unwatched.pk).exists()
    assert data_version() > before


def test_after_migrate_a_publish_moves_the_data_version_and_is_found():
    call_command("migrate", verbosity=0)
    before = data_version()
    initiative = PendingInitiativeFactory(name="Recyclerie des Pentes")

    transition(initiative, Status.PUBLISHED, by=None)

    assert data_version() > before
    assert search(Initiative.objects.published(), "recyclerie").filter(pk=initiative.pk).exists()


def test_migrate_with_nothing_to_apply_creates_nothing_twice():
    names = sqlite_trigger_names()
    call_command("migrate", verbosity=0)
    assert sqlite_trigger_names() == names
