"""A second PostgreSQL database standing in for the read replica.

A real streaming replica cannot be started inside a test run, so the stand-in is a separate database
on the same server, migrated like the primary's test database, and registered under the alias the
settings give a replica. Tests then put *different* rows in each, so an answer shows which database
gave it. Only the test process that needs it creates it (a session fixture, not pytest-django's set-up,
so the rest of the suite and the other xdist workers never pay for a second migration).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from django.conf import settings
from django.db import DatabaseError, connections

from portal.settings import replica_database_from_url
from tests.support.services import unavailable

ALIAS = "replica"


def _url(config: dict) -> str:
    user = quote(config["USER"] or "", safe="")
    password = quote(config["PASSWORD"] or "", safe="")
    port = f":{config['PORT']}" if config["PORT"] else ""
    return f"postgres://{user}:{password}@{config['HOST'] or '127.0.0.1'}{port}/{quote(config['NAME'])}"


def _clone_primary(name: str) -> bool:
    """Copy the primary's migrated test database (CREATE DATABASE … TEMPLATE: seconds, where migrating
    takes a minute). PostgreSQL refuses while anything else is connected to the template; then False."""
    primary = connections["default"]
    primary.close()
    quoted = primary.ops.quote_name
    with primary._nodb_cursor() as cursor:
        try:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted(name)}")
            cursor.execute(f"CREATE DATABASE {quoted(name)} WITH TEMPLATE {quoted(primary.settings_dict['NAME'])}")
        except DatabaseError:
            return False
    settings.DATABASES[ALIAS]["NAME"] = name
    connections[ALIAS].settings_dict["NAME"] = name
    return True


def replica_database_create() -> Iterator[str]:
    """Register the alias the way settings.py does for DATABASE_REPLICA_URL, then create and migrate
    its own test database (named after the primary's, so each xdist worker has its own); dropped at the end."""
    primary = connections["default"].settings_dict
    if primary["ENGINE"] != "django.db.backends.postgresql":
        unavailable("the read-replica tests need PostgreSQL (DATABASE_URL)")
    config = replica_database_from_url(_url(primary))
    # Not MIRROR: a separate database, so the tests can tell which one answered.
    config["TEST"] = {"NAME": f"{primary['NAME']}_replica"}
    settings.DATABASES[ALIAS] = config
    connections.configure_settings(settings.DATABASES)
    creation = connections[ALIAS].creation
    old_name = config["NAME"]
    if not _clone_primary(config["TEST"]["NAME"]):
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield ALIAS
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
        connections[ALIAS].close()
        del connections[ALIAS]
        del settings.DATABASES[ALIAS]
