"""Load stage: form files (form.yaml, schema.json, samples) -> compiled FormSpec (see loader, catalog)."""
