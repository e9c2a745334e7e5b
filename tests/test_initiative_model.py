import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from initiatives.demo import SEED_INITIATIVES, generate_samples
from initiatives.models import (
    ActionLever,
    CollaborativePractice,
    Initiative,
    LegalForm,
    LowTechQuality,
    Source,
    Status,
    Theme,
)
from territories.models import Programme
from tests.factories import (
    CommuneFactory,
    EpciFactory,
    InitiativeFactory,
    PendingInitiativeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_published_excludes_every_other_status():
    published = InitiativeFactory()
    PendingInitiativeFactory()
    InitiativeFactory(status=Status.REJECTED, published_at=None)
    InitiativeFactory(status=Status.ARCHIVED)
    assert list(Initiative.objects.published()) == [published]


def test_in_territory_at_every_level():
    here = InitiativeFactory()
    neighbour = InitiativeFactory(commune=CommuneFactory(epci=here.commune.epci))
    same_department = InitiativeFactory(
        commune=CommuneFactory(epci=EpciFactory(department=here.commune.department))
    )
    elsewhere = InitiativeFactory()

    def names(territory):
        return set(Initiative.objects.in_territory(territory).values_list("name", flat=True))

    assert names(here.commune) == {here.name}
    assert names(here.commune.epci) == {here.name, neighbour.name}
    assert names(here.commune.department) == {here.name, neighbour.name, same_department.name}
    assert elsewhere.name not in names(here.commune.region)


def test_saving_copies_the_communes_containers():
    initiative = InitiativeFactory()
    assert initiative.epci == initiative.commune.epci
    assert initiative.department == initiative.commune.department
    assert initiative.region == initiative.commune.region


def test_with_any_gives_each_initiative_once():
    food, reuse = ThemeFactory(slug="alimentation"), ThemeFactory(slug="environnement")
    both = InitiativeFactory(themes=[food, reuse])
    InitiativeFactory(themes=[reuse])
    assert list(Initiative.objects.with_any("themes", [food])) == [both]
    assert Initiative.objects.with_any("themes", [food, reuse]).count() == 2


def test_count_by_counts_links_and_columns():
    food, reuse = ThemeFactory(slug="alimentation"), ThemeFactory(slug="environnement")
    first = InitiativeFactory(themes=[food, reuse])
    InitiativeFactory(themes=[reuse], commune=first.commune)
    initiatives = Initiative.objects.all()
    assert initiatives.count_by("themes") == {food.pk: 1, reuse.pk: 2}
    assert initiatives.count_by("region") == {first.region_id: 2}
    assert initiatives.filter(pk=first.pk).count_by("themes") == {food.pk: 1, reuse.pk: 1}


def test_bounds_of_initiatives():
    InitiativeFactory(latitude=45.0, longitude=4.0)
    InitiativeFactory(latitude=46.0, longitude=5.5)
    assert Initiative.objects.bounds() == (4.0, 45.0, 5.5, 46.0)
    assert Initiative.objects.none().bounds() is None


def test_slugs_are_unique_and_derived_from_the_name():
    first = InitiativeFactory(name="Repair café")
    second = InitiativeFactory(name="Repair café")
    assert first.slug == "repair-cafe"
    assert second.slug == "repair-cafe-2"


@pytest.mark.parametrize(
    "change",
    [
        {"status": "draft"},
        {"source": "scraped"},
        {"latitude": -91},
        {"longitude": 181},
        {"year_started": 1200},
        {"published_at": None},  # published without a date
    ],
)
def test_database_rejects_invalid_initiative_values(change):
    initiative = InitiativeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=initiative.pk).update(**change)


def test_reference_data_is_bilingual(reference_data):
    from django.utils import translation

    theme = Theme.objects.get(slug="mobilite")
    with translation.override("fr"):
        assert theme.name == "Mobilité douce"
    with translation.override("en"):
        assert theme.name == "Soft mobility"
    assert Theme.objects.count() == 9
    assert CollaborativePractice.objects.count() == 4
    assert LegalForm.objects.count() == 9
    assert LowTechQuality.objects.count() == 5
    assert ActionLever.objects.count() == 12
    assert set(Programme.objects.values_list("slug", flat=True)) == {
        "petites-villes-de-demain",
        "action-coeur-de-ville",
    }


def test_load_reference_keeps_curators_edits(reference_data):
    Theme.objects.filter(slug="mobilite").update(name_fr="Mobilités")
    Theme.objects.filter(slug="culture").delete()
    call_command("load_reference", verbosity=0)
    assert Theme.objects.get(slug="mobilite").name_fr == "Mobilités"
    assert Theme.objects.filter(slug="culture").exists()


def test_demo_data_loads_the_seed_initiatives_once(real_territories, reference_data):
    call_command("load_demo", samples=20, verbosity=0)
    call_command("load_demo", samples=20, verbosity=0)
    real = Initiative.objects.real()
    assert real.count() == len(SEED_INITIATIVES)
    assert Initiative.objects.samples().count() == 20
    workshops = real.get(slug="ateliers-jean-moulin")
    assert workshops.commune.code == "29197"
    assert workshops.is_published and not workshops.is_sample
    assert "Avise" in workshops.source_reference
    assert {t.slug for t in workshops.themes.all()} >= {"solidarite"}
    assert workshops.commune.programmes.filter(slug="petites-villes-de-demain").exists()


def test_samples_are_marked_weighted_by_population_and_complete(reference_data):
    big = CommuneFactory(population=1_000_000)
    CommuneFactory(population=1_000)
    generate_samples(300, seed=1)
    samples = Initiative.objects.samples()
    assert samples.count() == 300
    assert set(samples.values_list("source", flat=True)) == {Source.SAMPLE}
    assert samples.filter(commune=big).count() > 250
    assert not samples.filter(themes__isnull=True).exists()
    first = samples.first()
    assert first.region == first.commune.region
    assert first.is_sample
