"""A card names its initiative's themes: on PostgreSQL from the row's copy of their ids.

Cards are on every list (directory, home, territories, solutions, embeds). Naming the themes
from the row's ``theme_ids`` and the reference list each process keeps saves a query and its
Python per list (issue 11); the card must still say exactly what the links say, at once.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import Initiative
from tests.factories import ThemeFactory


def card_themes(html, slug):
    """The theme tags of the card of ``slug`` in the page ``html``."""
    card = html[html.index(f'data-slug="{slug}"') :]
    tags = card[card.index('<ul class="tags"') : card.index("</ul>")]
    return re.findall(r"<li>([^<]*)</li>", tags)


def test_a_card_names_its_themes_in_their_own_order(client, world):
    html = client.get("/initiatives/?sort=name").content.decode()
    expected = [t.name for t in world.repair.themes.order_by("position", "name_fr")]
    assert len(expected) == 2
    assert card_themes(html, world.repair.slug) == expected


def test_a_theme_linked_or_unlinked_shows_on_the_card_at_once(client, world):
    extra = ThemeFactory(name_fr="Zéro déchet", position=999)
    world.repair.themes.add(extra)
    html = client.get("/initiatives/?sort=name").content.decode()
    assert card_themes(html, world.repair.slug)[-1] == "Zéro déchet"
    world.repair.themes.remove(extra)
    html = client.get("/initiatives/?sort=name").content.decode()
    assert "Zéro déchet" not in card_themes(html, world.repair.slug)


def test_a_list_reads_no_link_to_themes_on_postgresql(client, world):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/initiatives/").status_code == 200
    link_table = Initiative.themes.through._meta.db_table
    reads = [q["sql"] for q in queries.captured_queries if link_table in q["sql"]]
    if connection.vendor == "postgresql":
        assert reads == []
    else:  # SQLite keeps no copy: one prefetch for the whole page
        assert len(reads) == 1


def test_an_initiative_page_names_its_practices_and_levers_from_the_copy(client, world):
    from tests.factories import LeverFactory, PracticeFactory

    world.repair.practices.add(PracticeFactory(name_fr="Mutualisation de matériel"))
    world.repair.levers.add(LeverFactory(name_fr="Prêt de locaux municipaux"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(world.repair.get_absolute_url()).content.decode()
    assert "Mutualisation de matériel" in html
    assert "Prêt de locaux municipaux" in html
    tables = [Initiative.practices.through._meta.db_table, Initiative.levers.through._meta.db_table]
    reads = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]
    # PostgreSQL names them from the row's copy of their ids; SQLite prefetches each once.
    assert len(reads) == (0 if connection.vendor == "postgresql" else 2)


def test_low_tech_qualities_are_read_only_for_a_low_tech_initiative(client, world):
    from initiatives.models import LowTechQuality
    from tests.factories import InitiativeFactory

    frugal = LowTechQuality.objects.create(slug="sobre", name_fr="Sobre", name_en="Frugal")
    low_tech = InitiativeFactory(low_tech=True, commune=world.city)
    low_tech.low_tech_qualities.add(frugal)
    other = InitiativeFactory(low_tech=False, commune=world.city)
    table = Initiative.low_tech_qualities.through._meta.db_table

    def reads(initiative):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(initiative.get_absolute_url()).content.decode()
        return html, [q for q in queries.captured_queries if table in q["sql"]]

    html, read = reads(low_tech)
    assert "Sobre" in html and len(read) == 1
    html, read = reads(other)
    assert "Sobre" not in html and read == []
