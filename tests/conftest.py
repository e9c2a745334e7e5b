import pytest
from django.core.management import call_command


@pytest.fixture
def reference_data(db):
    """The themes, practices, legal forms, levers and programmes of fixtures/reference.json."""
    call_command("loaddata", "reference", verbosity=0)


@pytest.fixture
def real_territories(db):
    """Every region, department, EPCI and commune of the shipped open-data fixture."""
    call_command("load_territories", verbosity=0)
