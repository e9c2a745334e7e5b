"""SSE and low-tech initiatives and the vocabulary that classifies them.

One package, one module per concept; everything is importable from ``initiatives.models``.
"""

from .initiative import Initiative, LocationPrecision, Source, Status, initiative_image_path
from .queryset import CLASSIFICATION_FIELDS, TERRITORY_COLUMN, InitiativeQuerySet
from .reference import (
    ActionLever,
    BilingualNamed,
    CollaborativePractice,
    LegalForm,
    LeverFamily,
    LowTechQuality,
    SlugManager,
    TerritoryLever,
    Theme,
)
from .review import Correction, CorrectionStatus, StatusChange
from .tally import EVERYWHERE, CellTally, FacetTally, FilteredCellTally, PairTally
from .version import DataVersion, ScopeVersion

__all__ = [
    "EVERYWHERE",
    "FacetTally",
    "CellTally",
    "FilteredCellTally",
    "PairTally",
    "CLASSIFICATION_FIELDS",
    "TERRITORY_COLUMN",
    "ActionLever",
    "BilingualNamed",
    "CollaborativePractice",
    "Correction",
    "CorrectionStatus",
    "DataVersion",
    "ScopeVersion",
    "Initiative",
    "InitiativeQuerySet",
    "LocationPrecision",
    "LegalForm",
    "LeverFamily",
    "LowTechQuality",
    "SlugManager",
    "Source",
    "Status",
    "StatusChange",
    "TerritoryLever",
    "Theme",
    "initiative_image_path",
]
