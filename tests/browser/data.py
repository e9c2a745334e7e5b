"""A small, readable data set for the browser tests: two towns, a few themes, a lever."""

from initiatives.models import Status
from tests.factories import (
    CommuneFactory,
    InitiativeFactory,
    LeverFactory,
    PracticeFactory,
    ThemeFactory,
)


def directory_data():
    food = ThemeFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    repair = ThemeFactory(slug="reemploi", name_fr="Réemploi", name_en="Reuse")
    sharing = PracticeFactory(slug="partage", name_fr="Partage", name_en="Sharing")
    lever = LeverFactory(
        slug="commande-publique", name_fr="Commande publique", name_en="Public procurement"
    )
    lille = CommuneFactory(name="Lille", slug="lille", latitude=50.63, longitude=3.06)
    lyon = CommuneFactory(name="Lyon", slug="lyon", latitude=45.76, longitude=4.84)
    food_in_lille = [
        InitiativeFactory(
            name=f"Épicerie solidaire {n}",
            commune=lille,
            latitude=50.63 + n * 0.001,
            longitude=3.06 + n * 0.001,
            themes=[food],
            practices=[sharing],
            levers=[lever],
        )
        for n in range(6)
    ]
    repair_in_lyon = [
        InitiativeFactory(
            name=f"Repair café {n}",
            commune=lyon,
            latitude=45.76 + n * 0.001,
            longitude=4.84 + n * 0.001,
            themes=[repair],
        )
        for n in range(4)
    ]
    InitiativeFactory(
        name="Projet en attente", commune=lyon, status=Status.PENDING, themes=[repair]
    )
    return {
        "food": food,
        "repair": repair,
        "lever": lever,
        "lille": lille,
        "lyon": lyon,
        "food_in_lille": food_in_lille,
        "repair_in_lyon": repair_in_lyon,
    }
