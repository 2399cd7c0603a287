import pytest

from procedures import demo


@pytest.fixture
def catalogue(commune, other_commune):
    """The demo catalogue, received by both demo communes."""
    demo.seed()
