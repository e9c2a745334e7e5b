"""A small, fully known directory for the tests of the public pages (tests/test_directory_*).

Two regions; in the first, a metropolis with a large city and a small town, and a rural
commune in another intercommunality; a medium city in the second region.
"""

from dataclasses import dataclass

from initiatives.models import Source
from territories.models import EpciKind
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    InitiativeFactory,
    LegalFormFactory,
    LeverFactory,
    PendingInitiativeFactory,
    PracticeFactory,
    RegionFactory,
    ThemeFactory,
)


@dataclass
class World:
    region: object
    other_region: object
    department: object
    metropolis: object
    city: object
    town: object
    village: object
    medium: object
    food: object
    mobility: object
    energy: object
    pooling: object
    governance: object
    premises: object
    association: object
    scic: object
    repair: object  # city, food+energy, pooling, premises, association, low-tech
    bikes: object  # town, mobility, governance, scic
    grocery: object  # village, food, association, low-tech
    carshare: object  # medium, mobility, pooling, scic
    pending: object  # city, food: never public


def build_world():
    region = RegionFactory(name="Rhône-Alpes test", slug="rhone-alpes-test")
    other_region = RegionFactory(
        name="Bretagne test", slug="bretagne-test", latitude=48.0, longitude=-3.0
    )
    department = DepartmentFactory(region=region, name="Rhône test", slug="rhone-test", code="69")
    other_department = DepartmentFactory(region=other_region, slug="finistere-test", code="29")
    metropolis = EpciFactory(
        department=department,
        name="Métropole test",
        slug="metropole-test",
        epci_kind=EpciKind.METROPOLE,
        population=1_400_000,
    )
    rural_epci = EpciFactory(department=department, slug="cc-rurale-test")
    other_epci = EpciFactory(department=other_department, slug="ca-bretonne-test")
    city = CommuneFactory(
        epci=metropolis,
        name="Grandeville",
        slug="grandeville",
        population=500_000,
        latitude=45.76,
        longitude=4.84,
    )
    town = CommuneFactory(
        epci=metropolis,
        name="Petiteville",
        slug="petiteville",
        population=8_000,
        latitude=45.80,
        longitude=4.95,
    )
    village = CommuneFactory(
        epci=rural_epci,
        name="Hameau",
        slug="hameau",
        population=300,
        latitude=46.10,
        longitude=4.60,
    )
    medium = CommuneFactory(
        epci=other_epci,
        name="Moyenneville",
        slug="moyenneville",
        population=40_000,
        latitude=48.39,
        longitude=-4.49,
    )
    food = ThemeFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    mobility = ThemeFactory(slug="mobilite", name_fr="Mobilité douce", name_en="Soft mobility")
    energy = ThemeFactory(slug="habitat-energie", name_fr="Habitat et énergie", name_en="Energy")
    pooling = PracticeFactory(slug="mutualisation", name_fr="Mutualisation", name_en="Pooling")
    governance = PracticeFactory(slug="gouvernance", name_fr="Gouvernance", name_en="Governance")
    premises = LeverFactory(slug="locaux", name_fr="Locaux", name_en="Premises")
    association = LegalFormFactory(slug="association", name_fr="Association", name_en="Association")
    scic = LegalFormFactory(slug="scic", name_fr="SCIC", name_en="SCIC")
    repair = InitiativeFactory(
        name="Atelier de réparation",
        summary="Réparer plutôt que jeter, et économiser l'énergie.",
        commune=city,
        legal_form=association,
        low_tech=True,
        themes=[food, energy],
        practices=[pooling],
        levers=[premises],
    )
    bikes = InitiativeFactory(
        name="Vélos partagés",
        summary="Des vélos en libre service.",
        commune=town,
        legal_form=scic,
        themes=[mobility],
        practices=[governance],
        source=Source.SAMPLE,
    )
    grocery = InitiativeFactory(
        name="Épicerie du hameau",
        summary="Une épicerie solidaire.",
        commune=village,
        legal_form=association,
        low_tech=True,
        themes=[food],
    )
    carshare = InitiativeFactory(
        name="Autopartage breton",
        summary="Voitures en commun.",
        commune=medium,
        legal_form=scic,
        themes=[mobility],
        practices=[pooling],
    )
    pending = PendingInitiativeFactory(
        name="Projet secret en attente",
        summary="Pas encore relu.",
        commune=city,
        themes=[food],
    )
    return World(
        region,
        other_region,
        department,
        metropolis,
        city,
        town,
        village,
        medium,
        food,
        mobility,
        energy,
        pooling,
        governance,
        premises,
        association,
        scic,
        repair,
        bikes,
        grocery,
        carshare,
        pending,
    )
