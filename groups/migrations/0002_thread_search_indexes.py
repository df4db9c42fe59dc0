"""GIN indexes for the portal search's group threads, one per language (PostgreSQL only)."""

from django.db import migrations

from common.search_indexes import on_postgresql, statements

# The configurations of common.search.CONFIGS when this migration was written.
CONFIGS = ["english", "spanish", "french", "portuguese"]
CREATE, DROP = statements("groups_thread", "thread", ["title", "context"], CONFIGS)


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
