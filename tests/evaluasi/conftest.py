import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The dashboard keeps its panels a few minutes for its charts: no test reads another's."""
    cache.clear()
    yield
    cache.clear()
