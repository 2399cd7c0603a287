import pytest

from tests.factories import make_procedure


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune)
