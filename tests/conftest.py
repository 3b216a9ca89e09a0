import pytest

from tests import factories


@pytest.fixture
def event(db):
    return factories.create_event()


@pytest.fixture
def role_users(event):
    return factories.create_role_users(event)


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate limits and used TOTP codes live in the cache: start each test with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
