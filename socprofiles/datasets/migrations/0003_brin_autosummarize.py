"""PostgreSQL: the fact tables' BRIN indexes summarise new block ranges themselves.

An import used to summarise the new ranges before committing (brin_summarize_new_values,
about a tenth of a small import's time). Ranges not yet summarised are still found by
every query (a BRIN scan always reads them), so this only moves the work: autovacuum now
summarises each range once it is full, outside the import's transaction."""

from django.db import migrations

TABLES = ("datasets_streetcrime", "datasets_crimeoutcome", "datasets_stopsearch")


def autosummarize(on: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(
                f"ALTER INDEX {table}_file_brin SET (autosummarize = {'on' if on else 'off'})"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("datasets", "0002_fact_tables")]

    operations = [migrations.RunPython(autosummarize(True), autosummarize(False))]
