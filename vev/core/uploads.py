"""Stored files that no row names any more, and the sweep that removes them.

An upload is written to storage inside the service's transaction, after every check passed
(``documents.services.files.atomic_storage`` removes the files at once if the service itself
fails). If the transaction is rolled back *later* (a caller's savepoint, an error after the
service, a failed COMMIT), the rows are gone but the files stay: Django has commit hooks, not
rollback hooks. Such files are unreachable (nothing links to them) and are removed by
:func:`sweep_orphans`, which the worker runs every hour. A file is only removed once it is older
than :data:`GRACE`, so the files of a transaction still under way are never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

#: Age below which a file no row names is left alone (its transaction may still be running).
GRACE = timedelta(hours=1)

#: The top-level directories the models' ``upload_to`` functions write into: the sweep looks
#: nowhere else, so a file an operator keeps beside them in the media root is never touched.
#: A new ``upload_to`` directory goes here (``tests/core/test_uploads.py`` checks each model's).
UPLOAD_DIRECTORIES = ("contributions", "decisions", "documents", "venue")


def referenced_names(storage: Storage = default_storage) -> set[str]:
    """The names of every file a ``FileField`` of any model stores in ``storage``."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.storage is storage:
                names.update(
                    model._default_manager.exclude(**{field.name: ""})
                    .exclude(**{f"{field.name}__isnull": True})
                    .values_list(field.name, flat=True)
                )
    return names


def _walk(storage: Storage, directory: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _walk(storage, f"{directory}/{sub}" if directory else sub)


def sweep_orphans(
    *, now: datetime | None = None, grace: timedelta = GRACE, storage: Storage = default_storage
) -> list[str]:
    """Delete the files in the upload directories of ``storage`` that no row names and that are
    older than ``grace``; return their names."""
    referenced = referenced_names(storage)  # read first: a file stored after this is young
    cutoff = (now or timezone.now()) - grace
    removed = []
    for name in (n for top in UPLOAD_DIRECTORIES for n in _walk(storage, top)):
        if name in referenced:
            continue
        try:
            if storage.get_modified_time(name) >= cutoff:
                continue
            storage.delete(name)
        except FileNotFoundError:
            continue
        removed.append(name)
    if removed:
        logger.info("removed %d stored file(s) that no row names", len(removed))
    return removed
