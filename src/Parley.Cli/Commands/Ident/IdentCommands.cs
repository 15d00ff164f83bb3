using System.CommandLine;
using System.Globalization;
using System.Net;
using Parley.Cli.Hosting;
using Parley.Cli.Options;
using Parley.Dialog;
using Parley.Hosting;
using Parley.Identity;
using Parley.Storage;
using Spectre.Console;

namespace Parley.Cli.Commands.Ident;

/// <summary>The identification service: <c>parley serve ident</c>, <c>parley client ident</c>, <c>parley ident list|forget</c>.</summary>
internal static class IdentCommands
{
    public const int DefaultPort = 9001;

    public static Command Serve(CliConsole console)
    {
        var command = new Command("ident", $"Identification server: greets known clients by name (by IP address), asks new ones their name (default port {DefaultPort})");
        // A client silent for five minutes (at a question or in the conversation) is let go, as sshd's LoginGraceTime
        // does for logins: without it anyone could hold connections open for ever.
        var server = new ServerOptions(DefaultPort, defaultIdleTimeout: TimeSpan.FromMinutes(5),
            ServerOptions.DialogMaxConnectionsPerAddress, reason => DialogRefusal.Busy("ident", reason));
        var database = new DatabaseOption(server: true);
        server.AddTo(command);
        database.AddTo(command);
        command.SetAction(async result =>
        {
            var options = server.Read(result, console);
            ParleyDatabase? db = null;
            try
            {
                return await ServerRunner.RunAsync(console, options, server.Logging.Read(result), server.Monitoring.Read(result), logs =>
                {
                    db = database.Open(result, logs.CreateLogger("Parley.Storage"));
                    return new IdentHandler(new ClientStore(db), new IdentOptions(), logs);
                },
                cancellation => db?.CheckAsync(cancellation) ?? ValueTask.FromResult(HealthStatus.Healthy));
            }
            finally
            {
                db?.Dispose();
            }
        });
        return command;
    }

    public static Command Client(CliConsole console)
    {
        var command = new Command("ident", $"Identification client: answers the server's questions, then sends each line of standard input as a message (default port {DefaultPort})");
        var options = new ClientOptions(DefaultPort);
        options.AddTo(command);
        command.SetAction(result =>
        {
            var (host, port, connect) = options.Read(result, console);
            return ClientRunner.RunAsync(host, port, connect, options.Logging.Read(result), (connection, logger, cancellation) =>
                DialogClientSession.RunAsync(console, connection, new DialogClientOptions { Service = "ident" }, logger, cancellation));
        });
        return command;
    }

    public static Command Admin(CliConsole console)
    {
        var ident = new Command("ident", "Look after the identification server's clients (in its database)");
        ident.Add(List(console));
        ident.Add(Forget(console));
        return ident;
    }

    private static Command List(CliConsole console)
    {
        var command = new Command("list", "Print the known clients as a table: address, name, visits, first and last seen (UTC)");
        var database = new DatabaseOption();
        database.AddTo(command);
        command.SetAction(async result =>
        {
            using var db = database.Open(result, create: false);
            var clients = await new ClientStore(db).ListAsync();
            if (clients.Count == 0)
            {
                console.Display.WriteLine($"No known clients in {db.Path}.");
                return ExitCodes.Ok;
            }

            var table = new Table().Title(new TableTitle($"Known clients in {Markup.Escape(db.Path)}"));
            table.AddColumns("Address", "Name");
            table.AddColumn(new TableColumn("Visits").RightAligned());
            table.AddColumns("First seen (UTC)", "Last seen (UTC)");
            foreach (var client in clients)
            {
                table.AddRow(
                    new Text(client.Address), new Text(client.Name), new Text(client.Visits.ToString(CultureInfo.InvariantCulture)),
                    new Text(Format(client.FirstSeen)), new Text(Format(client.LastSeen)));
            }

            console.Display.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Forget(CliConsole console)
    {
        var command = new Command("forget", "Forget the client at ADDRESS: it will be asked its name again");
        var address = new Argument<IPAddress>("ADDRESS")
        {
            Description = "The client's IP address, as 'ident list' shows it",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (IPAddress.TryParse(text, out var parsed))
                {
                    return parsed;
                }

                result.AddError($"'{text}' is not an IP address");
                return IPAddress.None;
            },
        };
        var database = new DatabaseOption();
        command.Add(address);
        database.AddTo(command);
        command.SetAction(async result =>
        {
            var ip = result.GetValue(address)!;
            using var db = database.Open(result, create: false);
            var store = new ClientStore(db);
            var known = await store.FindAsync(ip);
            if (known is null || !await store.ForgetAsync(ip))
            {
                throw new CliException($"no client is known at {ClientStore.Key(ip)} in {db.Path}");
            }

            console.Display.WriteLine($"Forgot {known.Address} ({known.Name}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
