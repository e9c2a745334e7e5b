"""The sample files of exchange/samples/ and a small world they import into."""

from pathlib import Path

from tests.factories import CommuneFactory, InitiativeFactory

SAMPLES = Path(__file__).resolve().parent.parent / "exchange" / "samples"
GOGOCARTO = SAMPLES / "gogocarto-transiscope-bretagne.json"
DATA_INCLUSION = SAMPLES / "data-inclusion-structures-lille.json"
CSV = SAMPLES / "reseau-ess-occitanie.csv"

# The communes the sample files name: (INSEE code, name, postcodes, latitude, longitude).
SAMPLE_COMMUNES = [
    ("29232", "Quimper", "29000", 47.9960, -4.1024),
    ("29019", "Brest", "29200", 48.3917, -4.4845),
    ("29197", "Plouhinec", "29780", 48.0145, -4.4873),
    ("29046", "Douarnenez", "29100", 48.0925, -4.3297),
    ("29117", "Lannilis", "29870", 48.5703, -4.5214),
    ("59512", "Roubaix", "59100", 50.6901, 3.1817),
    ("59295", "Hazebrouck", "59190", 50.7245, 2.5387),
    ("59350", "Lille", "59000 59160 59800", 50.6309, 3.0709),
    ("59599", "Tourcoing", "59200", 50.7239, 3.1612),
    ("34172", "Montpellier", "34000 34070 34080", 43.5995, 3.8761),
    ("34276", "Saint-Mathieu-de-Tréviers", "34270", 43.7676, 3.8589),
]


def build_samples_world():
    """The communes of the sample files, and the two demo initiatives they duplicate (the
    reference data must be loaded)."""
    communes = {
        code: CommuneFactory(
            code=code, name=name, slug=name.lower(), postcodes=postcodes, latitude=lat,
            longitude=lon,
        )
        for code, name, postcodes, lat, lon in SAMPLE_COMMUNES
    }  # fmt: skip
    InitiativeFactory(name="Les Ateliers Jean Moulin", commune=communes["29197"])
    InitiativeFactory(name="Citiz", commune=communes["59350"])
    return communes
