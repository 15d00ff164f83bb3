namespace Parley.Storage;

public sealed partial class ParleyDatabase
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
    ];
}
