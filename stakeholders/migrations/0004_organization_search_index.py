"""A GIN index for the directory's full-text search, on PostgreSQL only.

The expression must stay identical to stakeholders.filters.organization_search_vector(),
or PostgreSQL no longer uses the index. SQLite (local development) searches without it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def search_index() -> GinIndex:
    return GinIndex(
        SearchVector("name", "acronym", weight="A", config="simple")
        + SearchVector("description", weight="B", config="simple"),
        name="organization_search_idx",
    )


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("stakeholders", "Organization"), search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("stakeholders", "Organization"), search_index())


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0003_themes")]

    operations = [migrations.RunPython(add_search_index, remove_search_index)]
