using System.Data.Common;
using System.Globalization;

namespace Parley.Storage;

/// <summary>
/// Small helpers for parameterised commands, the same for every engine: SQL text is never built from values, and
/// parameters are written <c>@name</c>, which SQLite and PostgreSQL (Npgsql) both understand.
/// </summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static long Scalar(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The one row of <c>parley_service</c>, made with a new id when there is none yet (schema version 4).</summary>
    public static string EnsureServiceId(DbConnection connection, DbTransaction transaction, string newId)
    {
        Execute(connection, transaction, "INSERT INTO parley_service (only_row, id) VALUES (1, @id) ON CONFLICT (only_row) DO NOTHING", ("@id", newId));
        using var command = Command(connection, transaction, "SELECT id FROM parley_service WHERE only_row = 1");
        return (string)command.ExecuteScalar()!;
    }
}
