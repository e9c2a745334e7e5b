import pytest
from django.db import IntegrityError, transaction

from territories.models import Kind, SizeClass, Territory, size_class_for
from tests.factories import CommuneFactory, DepartmentFactory, EpciFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, SizeClass.RURAL),
        (1_999, SizeClass.RURAL),
        (2_000, SizeClass.SMALL_TOWN),
        (19_999, SizeClass.SMALL_TOWN),
        (20_000, SizeClass.MEDIUM_CITY),
        (99_999, SizeClass.MEDIUM_CITY),
        (100_000, SizeClass.LARGE_CITY),
        (2_100_000, SizeClass.LARGE_CITY),
    ],
)
def test_size_class_thresholds(population, expected):
    assert size_class_for(population) == expected
    assert CommuneFactory(population=population).size_class == expected


def test_saving_a_commune_updates_its_size_class_when_population_changes():
    commune = CommuneFactory(population=1_500)
    commune.population = 25_000
    commune.save()
    commune.refresh_from_db()
    assert commune.size_class == SizeClass.MEDIUM_CITY


def test_only_communes_have_a_size_class():
    assert RegionFactory().size_class == ""
    assert EpciFactory(population=500_000).size_class == ""


def test_database_rejects_a_size_class_that_contradicts_the_population():
    commune = CommuneFactory(population=150_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.filter(pk=commune.pk).update(size_class=SizeClass.RURAL)


def test_database_rejects_a_latitude_out_of_range():
    commune = CommuneFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.filter(pk=commune.pk).update(latitude=91)


def test_database_rejects_duplicate_codes_within_a_kind():
    CommuneFactory(code="29197")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommuneFactory(code="29197")


def test_the_same_code_may_exist_at_two_levels():
    RegionFactory(code="01")
    DepartmentFactory(code="01")
    assert Territory.objects.filter(code="01").count() == 2


def test_database_rejects_an_epci_kind_on_a_commune():
    commune = CommuneFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.filter(pk=commune.pk).update(epci_kind="metropole")


def test_database_rejects_an_unknown_kind():
    commune = CommuneFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.filter(pk=commune.pk).update(kind="canton")


def test_chain_goes_from_commune_to_region():
    commune = CommuneFactory()
    assert commune.chain() == [commune, commune.epci, commune.department, commune.region]


def test_search_by_name_prefix_postcode_or_code():
    commune = CommuneFactory(name="Plouhinec", code="29197", postcodes="29780")
    CommuneFactory(name="Quimper")
    for text in ("plouh", "29197", "29780"):
        assert list(Territory.objects.communes().search(text)) == [commune]
    assert not Territory.objects.search("   ").exists()


def test_metropolises_are_epcis_of_kind_metropole():
    metropolis = EpciFactory(epci_kind="metropole")
    EpciFactory(epci_kind="ca")
    assert list(Territory.objects.metropolises()) == [metropolis]
    assert metropolis.is_metropolis
    assert metropolis.kind == Kind.EPCI
