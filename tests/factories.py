"""Factories for tests: build territories and initiatives without fixtures."""

import factory
from django.utils import timezone

from initiatives.models import (
    ActionLever,
    CollaborativePractice,
    Initiative,
    LegalForm,
    LeverFamily,
    Source,
    Status,
    Theme,
)
from territories.models import EpciKind, Kind, Territory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    kind = Kind.REGION
    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Région {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    population = 1_000_000
    latitude = 47.0
    longitude = 2.0


class DepartmentFactory(RegionFactory):
    kind = Kind.DEPARTMENT
    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Département {n}")
    slug = factory.Sequence(lambda n: f"departement-{n}")
    region = factory.SubFactory(RegionFactory)


class EpciFactory(RegionFactory):
    kind = Kind.EPCI
    code = factory.Sequence(lambda n: f"{200000000 + n}")
    name = factory.Sequence(lambda n: f"CC des Exemples {n}")
    slug = factory.Sequence(lambda n: f"cc-exemples-{n}")
    epci_kind = EpciKind.COMMUNAUTE_COMMUNES
    department = factory.SubFactory(DepartmentFactory)
    region = factory.SelfAttribute("department.region")


class CommuneFactory(RegionFactory):
    kind = Kind.COMMUNE
    code = factory.Sequence(lambda n: f"{10000 + n}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    slug = factory.Sequence(lambda n: f"commune-{n}")
    population = 5_000
    epci = factory.SubFactory(EpciFactory)
    department = factory.SelfAttribute("epci.department")
    region = factory.SelfAttribute("epci.region")
    latitude = 47.5
    longitude = 2.5


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_fr = factory.Sequence(lambda n: f"Thème {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")


class PracticeFactory(ThemeFactory):
    class Meta:
        model = CollaborativePractice
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"practice-{n}")


class LegalFormFactory(ThemeFactory):
    class Meta:
        model = LegalForm
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"form-{n}")


class LeverFactory(ThemeFactory):
    class Meta:
        model = ActionLever
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"lever-{n}")
    family = LeverFamily.FUNDING


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Initiative {n}")
    summary = "Une initiative de test."
    organisation = "Association test"
    commune = factory.SubFactory(CommuneFactory)
    latitude = factory.SelfAttribute("commune.latitude")
    longitude = factory.SelfAttribute("commune.longitude")
    status = Status.PUBLISHED
    source = Source.CURATOR
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def practices(self, create, extracted, **kwargs):
        if create and extracted:
            self.practices.set(extracted)

    @factory.post_generation
    def levers(self, create, extracted, **kwargs):
        if create and extracted:
            self.levers.set(extracted)


class PendingInitiativeFactory(InitiativeFactory):
    status = Status.PENDING
    source = Source.SUBMISSION
    published_at = None
    submitter_name = "Camille Private"
    submitter_email = "camille.private@example.org"
