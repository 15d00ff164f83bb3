namespace Parley.Storage;

internal sealed partial class SqliteDatabase
{
    /// <summary>
    /// The schema, one script per version: script N turns version N-1 into N. Never edit a released script; add
    /// the next one. Times are milliseconds since the Unix epoch, UTC.
    /// </summary>
    private static readonly string[] Migrations =
    [
        // 1: the identification service's clients, by IP address.
        """
        CREATE TABLE ident_clients (
            address    TEXT    NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen  INTEGER NOT NULL,
            visits     INTEGER NOT NULL CHECK (visits >= 1)
        );
        """,

        // 2: the authentication service's accounts, sessions, failed sign-ins, and last user per address.
        """
        CREATE TABLE auth_users (
            name_key      TEXT    NOT NULL PRIMARY KEY,
            name          TEXT    NOT NULL,
            password_hash TEXT    NOT NULL,
            created       INTEGER NOT NULL,
            last_sign_in  INTEGER
        );
        CREATE TABLE auth_sessions (
            token_hash BLOB    NOT NULL PRIMARY KEY,
            user_key   TEXT    NOT NULL REFERENCES auth_users (name_key) ON DELETE CASCADE,
            address    TEXT    NOT NULL,
            created    INTEGER NOT NULL,
            last_used  INTEGER NOT NULL,
            idle_ms    INTEGER NOT NULL,
            expires    INTEGER NOT NULL
        );
        CREATE INDEX auth_sessions_by_user ON auth_sessions (user_key);
        CREATE TABLE auth_throttle (
            key          TEXT    NOT NULL PRIMARY KEY,
            failures     INTEGER NOT NULL,
            last_failure INTEGER NOT NULL,
            locked_until INTEGER NOT NULL
        );
        CREATE TABLE auth_last_user (
            address  TEXT    NOT NULL PRIMARY KEY,
            user_key TEXT    NOT NULL REFERENCES auth_users (name_key) ON DELETE CASCADE,
            at       INTEGER NOT NULL
        );
        """,

        // 3: registrations by client address, for the limit per address and hour (issue 16).
        """
        CREATE TABLE auth_registrations (
            address TEXT    NOT NULL,
            at      INTEGER NOT NULL
        );
        CREATE INDEX auth_registrations_by_address ON auth_registrations (address, at);
        """,

        // 4: the service's id (issue 17): servers of one database present it, so that clients know them as one service.
        """
        CREATE TABLE parley_service (
            only_row INTEGER NOT NULL PRIMARY KEY CHECK (only_row = 1),
            id       TEXT    NOT NULL
        );
        """,
    ];
}
