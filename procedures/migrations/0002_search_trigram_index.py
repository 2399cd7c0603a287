"""A trigram GIN index on Procedure.search_text, on PostgreSQL only.

`LIKE '%khai sinh%'` on the accent-free search column can use it; SQLite (development, tests)
has no pg_trgm, so there the operation does nothing and the search is a plain scan.
"""

from django.db import migrations

INDEX_NAME = "procedure_search_text_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        # fastupdate off: the catalogue is written rarely and read constantly, so entries go straight
        # into the index instead of a pending list that every search would have to scan.
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON procedures_procedure "
        "USING gin (search_text gin_trgm_ops) WITH (fastupdate = off)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False)]
