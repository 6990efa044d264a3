"""A GIN index on the expression Wagtail's PostgreSQL search matches against.

The database search backend filters with `(title || body) @@ query`. Wagtail indexes
`title` and `body` separately, which that expression cannot use, so every search read
the whole index table (1.2 million rows at national scale: 0.8 s for one forum search).
With this index PostgreSQL finds the matching entries first. SQLite searches with FTS5
and gets nothing here.
"""

from django.db import migrations

INDEX = "search_indexentry_document_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
