import pytest

from tests import factories
from tests.factories import open_meeting
from vev.council.models import Registration

#: One real Janus for the whole session (tests/media, the browser tests of media).
pytest_plugins = ["tests.media.fixtures"]


@pytest.fixture
def event(db):
    return factories.create_event()


@pytest.fixture
def role_users(event):
    return factories.create_role_users(event)


@pytest.fixture(scope="session")
def _client_handler():
    """One request handler for every test's client. Django's test ``Client`` builds its own
    handler, whose first request instantiates the whole middleware stack; ServeStatic's
    middleware then lists every static file (about 0.2 s), once per test. A server builds it
    once per process, and so do the tests now."""
    from django.test.client import ClientHandler

    return ClientHandler(enforce_csrf_checks=False)


@pytest.fixture
def client(_client_handler):
    """pytest-django's ``client``, sharing the session's request handler."""
    from django.test import Client

    client = Client()
    client.handler = _client_handler
    return client


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate limits and used TOTP codes live in the cache: start each test with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _english_first():
    """Each test starts in English, the default language. A request with another language
    (LocaleMiddleware, a user's preferred language) leaves that language active on the thread
    that served it, and would turn the next test's messages into Arabic or French."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last: Playwright's sync API keeps an event loop running on the
    main thread for the rest of the session, which asyncio tests (consumers) cannot share."""
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))


@pytest.fixture
def live(transactional_db):
    """An event with a meeting in session, a user of every role and four French councillors."""
    event = factories.create_event()
    users = factories.create_role_users(event)
    france = factories.member_entity(event, 0)
    users["fr"] = []
    for index in range(4):
        user = factories.create_user(f"fr{index}@example.org", full_name=f"Councillor FR{index}")
        factories.register(user, event, france, Registration.Role.COUNCILLOR)
        users["fr"].append(user)
    meeting = open_meeting(event)
    return event, meeting, users
