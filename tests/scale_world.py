"""Many initiatives spread over France, quickly: for the tests of tests/test_scale_*.

Forty communes on a grid over mainland France (factories), the reference data, and
``generate_samples`` — the bulk generator the benchmark databases use — to add initiatives.
"""

from initiatives.demo import generate_samples
from territories.models import EpciKind
from tests.factories import CommuneFactory, EpciFactory

LATITUDES = (43.3, 44.8, 46.2, 47.6, 48.9)
LONGITUDES = (-1.2, 0.4, 1.9, 3.3, 4.8, 5.9, 6.6, 7.3)


def make_communes():
    """Forty communes across France, in two intercommunalities (one a metropolis)."""
    metropolis = EpciFactory(epci_kind=EpciKind.METROPOLE, slug="metropole-test")
    other = EpciFactory(department=metropolis.department)
    return [
        CommuneFactory(
            latitude=lat,
            longitude=lon,
            population=5_000 + 1_000 * i,
            epci=metropolis if i % 2 else other,
        )
        for i, (lat, lon) in enumerate((a, o) for a in LATITUDES for o in LONGITUDES)
    ]


def add_samples(count, seed=1):
    """``count`` published sample initiatives in the test communes."""
    generate_samples(count, seed=seed, batch_size=1000)
