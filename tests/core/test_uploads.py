"""The sweep of stored files no row names (vev/core/uploads.py) stays in the upload directories."""

from __future__ import annotations

import os

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from vev.core import uploads


class AnyInstance:
    """Stands for any model instance an ``upload_to`` function is given: every attribute is
    there, every value prints as 1, every slice as sixteen zeros."""

    def __getattr__(self, name):
        return self

    def __getitem__(self, key):
        return "0" * 16

    def __format__(self, spec):
        return "1"

    def __str__(self):
        return "1"


def file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def test_every_model_uploads_into_a_directory_the_sweep_watches():
    fields = list(file_fields())
    assert fields, "no FileField found"
    for model, field in fields:
        upload_to = field.upload_to
        name = upload_to(AnyInstance(), "file.pdf") if callable(upload_to) else upload_to
        top = str(name).strip("/").split("/")[0]
        assert top in uploads.UPLOAD_DIRECTORIES, f"{model.__name__}.{field.name} uploads to {name}"


@pytest.mark.django_db
def test_the_sweep_leaves_files_outside_the_upload_directories_alone(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    old = (timezone.now() - 2 * uploads.GRACE).timestamp()
    names = [
        default_storage.save("documents/1/left-over.pdf", ContentFile(b"%PDF-1.4")),
        default_storage.save("backups/keep.pdf", ContentFile(b"%PDF-1.4")),
        default_storage.save("keep-too.txt", ContentFile(b"notes")),
    ]
    for name in names:
        os.utime(default_storage.path(name), (old, old))
    assert uploads.sweep_orphans() == [names[0]]
    assert [default_storage.exists(name) for name in names] == [False, True, True]
