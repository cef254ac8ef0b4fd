"""Alembic environment of the register: run programmatically by `rag.register.store` (no alembic.ini).

The caller passes an open connection inside its own transaction (`config.attributes["connection"]`),
so that the check of the current revision and every migration happen under one write lock: two
processes opening a new database at once cannot both create the tables.
"""

from alembic import context

from rag.register.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")  # SQLite cannot ALTER most things
with context.begin_transaction():
    context.run_migrations()
