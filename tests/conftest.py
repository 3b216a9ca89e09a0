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


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last: Playwright's sync API keeps an event loop running on the
    main thread for the rest of the session, which asyncio tests (consumers) cannot share."""
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))
