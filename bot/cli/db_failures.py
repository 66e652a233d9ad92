"""What the command line says when the database fails under a command: the cause in words.

SQLite names its failure by a result code (`sqlite_errorcode`), PostgreSQL by a SQLSTATE
(asyncpg's `sqlstate`, kept by SQLAlchemy's adapter); the driver's English message and the
exception's class name are never shown (`ownervoice -v` prints them).
"""

from __future__ import annotations

from bot.cli.errors import CANNOT_REACH, N_

DB_SCHEMA = N_("ownervoice {command}: the database at {where} lacks a table or column this "
               "version uses, though its revision is current; it was changed outside "
               "ownervoice: restore it from a backup")
DB_BUSY = N_("ownervoice {command}: the database at {where} is locked by another process and "
             "stayed locked; wait until that process finishes (e.g. a backup or a long import) "
             "and run the command again")
DB_DAMAGED = N_("ownervoice {command}: {where} is not a readable ownervoice database (the file "
                "is damaged or is another kind of file); check database.url / --db-url, or "
                "restore it from a backup")
DB_DISK_FULL = N_("ownervoice {command}: cannot write to the database at {where}: its disk is "
                  "full; free some space and run the command again")
DB_READ_ONLY = N_("ownervoice {command}: cannot write to the database at {where}: it is "
                  "read-only (the file's permissions, or a PostgreSQL standby); give write "
                  "access or point --db-url / database.url at the primary")
DB_DENIED = N_("ownervoice {command}: the database user at {where} may not use a table this "
               "version needs; grant it the rights on ownervoice's tables and run the command "
               "again")
DB_FAILED = N_("ownervoice {command}: the database at {where} refused the command; run "
               "`ownervoice -v …` again to see the database's own message")

# SQLite primary result codes (https://sqlite.org/rescode.html).
_SQLITE = {5: DB_BUSY, 6: DB_BUSY, 11: DB_DAMAGED, 26: DB_DAMAGED, 13: DB_DISK_FULL,
           8: DB_READ_ONLY, 3: DB_READ_ONLY}
# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_POSTGRES = {"42P01": DB_SCHEMA, "42703": DB_SCHEMA, "55P03": DB_BUSY, "40P01": DB_BUSY,
             "57014": DB_BUSY, "53300": DB_BUSY, "53100": DB_DISK_FULL, "25006": DB_READ_ONLY,
             "42501": DB_DENIED, "57P01": CANNOT_REACH, "57P02": CANNOT_REACH,
             "57P03": CANNOT_REACH}


def failure_message(exc: BaseException | None) -> str:
    """Return the msgid for a SQLAlchemy DBAPIError, by the driver's code, never its text."""
    orig = getattr(exc, "orig", None)
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int):
        if "no such table" in str(orig) or "no such column" in str(orig):
            return DB_SCHEMA  # SQLITE_ERROR carries these only in its message
        return _SQLITE.get(sqlite_code & 0xFF, DB_FAILED)
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str):
        if state.startswith("08"):  # connection exceptions
            return CANNOT_REACH
        return _POSTGRES.get(state, DB_FAILED)
    if getattr(exc, "connection_invalidated", False):
        return CANNOT_REACH
    return DB_FAILED

