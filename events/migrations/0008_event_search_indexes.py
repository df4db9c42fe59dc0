"""GIN indexes for the portal search's events, one per language (PostgreSQL only)."""

from django.db import migrations

from common.search_indexes import on_postgresql, statements

# The configurations of common.search.CONFIGS when this migration was written.
CONFIGS = ["english", "spanish", "french", "portuguese"]
CREATE, DROP = statements("events_event", "event", ["title", "description"], CONFIGS)


class Migration(migrations.Migration):
    dependencies = [("events", "0007_loop_closing")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
