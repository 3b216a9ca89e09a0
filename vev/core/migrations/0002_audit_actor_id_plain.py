"""The actor of an audit entry becomes a plain integer (the user's id at the time).

It was a foreign key with ``on_delete=SET_NULL``: deleting a user rewrote ``actor_id`` of their
entries, and the hash chain (which covers it) then reported them as tampered with. The column
``actor_id`` and its values stay as they are, so every existing hash still verifies; only the
database's foreign-key constraint goes (with ``db_constraint=False`` first, which every backend
knows how to drop), and Django's state then knows the column as a plain ``BigIntegerField``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            state_operations=[
                migrations.RemoveField(model_name="auditentry", name="actor"),
                migrations.AddField(
                    model_name="auditentry",
                    name="actor_id",
                    field=models.BigIntegerField(blank=True, db_index=True, null=True),
                ),
            ],
        ),
    ]
