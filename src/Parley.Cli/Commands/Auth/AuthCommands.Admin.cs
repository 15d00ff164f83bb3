using System.CommandLine;
using System.Globalization;
using Parley.Auth;
using Parley.Cli.Commands.Ident;
using Parley.Cli.Options;
using Parley.Cli.Prompts;
using Spectre.Console;

namespace Parley.Cli.Commands.Auth;

/// <summary><c>parley auth users|add-user|passwd|remove-user|revoke</c>: look after the authentication server's accounts.</summary>
internal static partial class AuthCommands
{
    public static Command Admin(CliConsole console)
    {
        var auth = new Command("auth", "Look after the authentication server's accounts (in its database); these can run while the server does");
        auth.Add(Users(console));
        auth.Add(AddUser(console));
        auth.Add(Passwd(console));
        auth.Add(RemoveUser(console));
        auth.Add(Revoke(console));
        return auth;
    }

    private static Command Users(CliConsole console)
    {
        var command = new Command("users", "Print the accounts as a table: user, created, last sign-in (UTC), active sessions");
        var database = new DatabaseOption();
        database.AddTo(command);
        command.SetAction(async result =>
        {
            using var db = database.Open(result, create: false);
            var users = await new AuthStore(db).ListUsersAsync(DateTimeOffset.UtcNow);
            if (users.Count == 0)
            {
                console.Display.WriteLine($"No users in {db.Path}.");
                return ExitCodes.Ok;
            }

            var table = new Table().Title(new TableTitle($"Users in {Markup.Escape(db.Path)}"));
            table.AddColumns("User", "Created (UTC)", "Last sign-in (UTC)");
            table.AddColumn(new TableColumn("Active sessions").RightAligned());
            foreach (var user in users)
            {
                table.AddRow(
                    new Text(user.Name), new Text(IdentCommands.Format(user.Created)),
                    new Text(user.LastSignIn is { } last ? IdentCommands.Format(last) : "never"),
                    new Text(user.ActiveSessions.ToString(CultureInfo.InvariantCulture)));
            }

            console.Display.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command AddUser(CliConsole console)
    {
        var command = new Command("add-user", "Make an account; the password is asked twice with hidden typing, or read as one line with --password-stdin");
        var (name, database, fromStdin) = NameDatabaseAndPassword(command);
        command.SetAction(async result =>
        {
            var user = CheckName(result.GetValue(name));
            var password = ReadNewPassword(console, user, result.GetValue(fromStdin));
            using var db = database.Open(result);
            var hash = new PasswordHasher().Hash(password);
            if (!await new AuthStore(db).CreateUserAsync(user, hash, DateTimeOffset.UtcNow))
            {
                throw new CliException($"the user {user} already exists in {db.Path}");
            }

            console.Display.WriteLine($"Added the user {user}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Passwd(CliConsole console)
    {
        var command = new Command("passwd", "Set a user's password (asked twice, or one line with --password-stdin); the user's sessions end");
        var (name, database, fromStdin) = NameDatabaseAndPassword(command);
        command.SetAction(async result =>
        {
            var user = CheckName(result.GetValue(name));
            using var db = database.Open(result, create: false);
            var store = new AuthStore(db);
            if (await store.FindUserAsync(user) is null)
            {
                throw NoSuchUser(user, db.Path);
            }

            var password = ReadNewPassword(console, user, result.GetValue(fromStdin));
            var hash = new PasswordHasher().Hash(password);
            var ended = await store.SetPasswordAsync(user, hash, endSessions: true) ?? throw NoSuchUser(user, db.Path);
            console.Display.WriteLine($"Changed the password of {user}; {Sessions(ended)} ended.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RemoveUser(CliConsole console)
    {
        var command = new Command("remove-user", "Remove an account and its sessions");
        var (name, database) = NameAndDatabase(command);
        command.SetAction(async result =>
        {
            var user = CheckName(result.GetValue(name));
            using var db = database.Open(result, create: false);
            if (!await new AuthStore(db).RemoveUserAsync(user))
            {
                throw NoSuchUser(user, db.Path);
            }

            console.Display.WriteLine($"Removed the user {user}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliConsole console)
    {
        var command = new Command("revoke", "End every session of a user: their tokens stop working at once");
        var (name, database) = NameAndDatabase(command);
        command.SetAction(async result =>
        {
            var user = CheckName(result.GetValue(name));
            using var db = database.Open(result, create: false);
            var ended = await new AuthStore(db).RevokeAsync(user) ?? throw NoSuchUser(user, db.Path);
            console.Display.WriteLine($"Revoked {Sessions(ended)} of {user}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (Argument<string> Name, DatabaseOption Database) NameAndDatabase(Command command)
    {
        var name = new Argument<string>("NAME") { Description = "The user name (any case)" };
        var database = new DatabaseOption();
        command.Add(name);
        database.AddTo(command);
        return (name, database);
    }

    private static (Argument<string> Name, DatabaseOption Database, Option<bool> FromStdin) NameDatabaseAndPassword(Command command)
    {
        var (name, database) = NameAndDatabase(command);
        var fromStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read the password as one line of standard input, for scripts (never give a password as an argument: others can see it)",
        };
        command.Add(fromStdin);
        return (name, database, fromStdin);
    }

    private static string CheckName(string? text) =>
        UserNameRules.Check(text, out var reason) ?? throw new CliException($"'{text}' is not a user name: {reason}", ExitCodes.Usage);

    private static CliException NoSuchUser(string user, string path) => new($"there is no user {user} in {path}");

    private static string Sessions(int count) => count == 1 ? "1 session" : $"{count} sessions";

    private static string ReadNewPassword(CliConsole console, string user, bool fromStdin)
    {
        if (fromStdin)
        {
            var line = console.In.ReadLine();
            if (string.IsNullOrEmpty(line))
            {
                throw new CliException("--password-stdin: standard input gave no password line", ExitCodes.Usage);
            }

            return PasswordPolicy.Check(user, line, line) is { } weak ? throw new CliException($"weak password: {weak}") : line;
        }

        if (console.IsInputRedirected)
        {
            throw new CliException("no terminal to ask for the password: give it on standard input with --password-stdin", ExitCodes.Usage);
        }

        var prompter = new Prompter(console.Prompts);
        const int Tries = 3;
        for (var attempt = 1; attempt <= Tries; attempt++)
        {
            var password = prompter.AskAnswer($"New password for {user}:", null, secret: true)
                ?? throw new CliException("no password given");
            var again = prompter.AskAnswer("The same password again:", null, secret: true) ?? throw new CliException("no password given");
            if (PasswordPolicy.Check(user, password, again) is not { } problem)
            {
                return password;
            }

            console.Prompts.WriteLine($"Weak password: {problem}.");
        }

        throw new CliException($"no acceptable password in {Tries} tries");
    }
}
