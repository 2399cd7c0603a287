"""A throw-away PostgreSQL database for a bench run, next to the one DATABASE_URL names."""

from __future__ import annotations

from urllib.parse import urlparse, urlunparse


def _maintenance_connection(url: str):
    import psycopg2

    parsed = urlparse(url)
    connection = psycopg2.connect(
        dbname="postgres", user=parsed.username or "postgres", password=parsed.password or None,
        host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432,
    )
    connection.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction
    return connection


def scratch_database_create(url: str, name: str) -> str:
    """(Re)create database `name` on the server of `url`; returns its URL."""
    connection = _maintenance_connection(url)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def scratch_database_drop(url: str, name: str) -> None:
    """Close Django's connections, then drop database `name`."""
    from django.db import connections

    connections.close_all()
    connection = _maintenance_connection(url)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
    connection.close()
