using System.CommandLine;
using System.Net;
using Parley.Auth;
using Parley.Cli.Hosting;
using Parley.Cli.Options;
using Parley.Cli.Sessions;
using Parley.Dialog;
using Parley.Hosting;
using Parley.Net;
using Parley.Storage;
using Parley.Tcp;

namespace Parley.Cli.Commands.Auth;

/// <summary>
/// The authentication service: <c>parley serve auth</c>, <c>parley client auth</c> and, in AuthCommands.Admin.cs,
/// the admin commands <c>parley auth ...</c>.
/// </summary>
internal static partial class AuthCommands
{
    public const int DefaultPort = 9002;

    public const int DefaultRegistrationsPerHour = 100;

    public static Command Serve(CliConsole console)
    {
        var command = new Command("auth", $"Authentication server: user names and passwords (Argon2id), sessions kept by token; without TLS passwords and tokens cross the network in clear (default port {DefaultPort})");
        // A client silent for five minutes (at a question or in the conversation) is let go, as sshd's LoginGraceTime
        // does for logins: without it anyone could hold connections open for ever.
        var server = new ServerOptions(DefaultPort, defaultIdleTimeout: TimeSpan.FromMinutes(5),
            ServerOptions.DialogMaxConnectionsPerAddress, reason => DialogRefusal.Busy("auth", reason));
        var database = new DatabaseOption(server: true);
        var noRegister = new Option<bool>("--no-register")
        {
            Description = "Close registration: an unknown user name is refused exactly like a wrong password (default: a new user name makes an account)",
        };
        var registrations = OptionFactory.Int("--registrations-per-hour",
            $"Accounts one client address may register in an hour (a class behind one NAT registers at the start of a lab); 0 means unlimited (default: {DefaultRegistrationsPerHour})",
            DefaultRegistrationsPerHour, 0, 1_000_000);
        var idle = OptionFactory.Duration("--session-idle", "A session unused for this long expires", SessionLimits.Default.Idle);
        var lifetime = OptionFactory.Duration("--session-lifetime", "A session expires this long after the password sign-in, however much it is used", SessionLimits.Default.Lifetime);
        server.AddTo(command);
        database.AddTo(command);
        command.Add(noRegister);
        command.Add(registrations);
        command.Add(idle);
        command.Add(lifetime);
        command.SetAction(async result =>
        {
            var options = server.Read(result, console);
            var auth = new AuthOptions
            {
                AllowRegistration = !result.GetValue(noRegister),
                RegistrationsPerHour = result.GetValue(registrations),
                Sessions = new SessionLimits(result.GetValue(idle), result.GetValue(lifetime)),
            };
            ParleyDatabase? db = null;
            // Shared fairly (issue 16): one address holds at most an eighth of the queue, and registrations at most
            // half of it, so that a flood of registrations leaves room for existing accounts signing in.
            var workers = Environment.ProcessorCount;
            using var pool = new PasswordHashingPool(workers, 64 * workers, maxQueuedPerAddress: 8 * workers, maxQueuedRegistrations: 32 * workers);
            try
            {
                return await ServerRunner.RunAsync(console, options, server.Logging.Read(result), server.Monitoring.Read(result), logs =>
                {
                    if (IsCleartextBeyondLoopback(options))
                    {
                        AuthLog.Cleartext(logs.CreateLogger("Parley.Auth"), options.Address?.ToString() ?? "every interface");
                    }

                    db = database.Open(result, logs.CreateLogger("Parley.Storage"));
                    return new AuthHandler(new AuthStore(db), auth, new PasswordHasher(), pool, logs);
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
        var command = new Command("auth", $"Authentication client: signs in (or resumes the kept session), then sends each line of standard input as a message; 'logout' ends the session (default port {DefaultPort})");
        var options = new ClientOptions(DefaultPort);
        var sessionFile = new Option<string?>("--session-file")
        {
            Description = "Where session tokens are kept (default: $XDG_CONFIG_HOME/parley/sessions.json, or ~/.config/parley/sessions.json)",
            HelpName = "path",
        };
        var forget = new Option<bool>("--forget-session") { Description = "Forget this server's kept session first, and sign in with a password" };
        options.AddTo(command);
        command.Add(sessionFile);
        command.Add(forget);
        command.SetAction(result =>
        {
            var (host, port, connect) = options.Read(result, console);
            var file = new SessionFile(result.GetValue(sessionFile) ?? ParleyPaths.Sessions, console.Error);
            var server = HostPort.Format(host, port);
            if (result.GetValue(forget))
            {
                file.Remove(server);
            }

            return ClientRunner.RunAsync(host, port, connect, options.Logging.Read(result), (connection, logger, cancellation) =>
            {
                var (transport, fingerprint) = SessionTransport.Of(connection);
                // Tokens are kept by the service's id when the hello has one (issue 17: every server of one database is
                // one service, so a token from one is offered to the others), otherwise by host and port.
                var key = server;
                var dialog = new DialogClientOptions
                {
                    Service = "auth",
                    ResumeTokenFor = hello =>
                    {
                        key = SessionFile.Key(server, hello.ServiceId);
                        if (result.GetValue(forget))
                        {
                            file.Remove(key);
                            return null;
                        }

                        return KeptToken(console, file, key, transport, fingerprint);
                    },
                    OnSession = session =>
                    {
                        file.Set(key, new SessionEntry(session.Token ?? "", session.User, session.Expires)
                        {
                            Transport = transport,
                            Fingerprint = fingerprint,
                        });
                        return ValueTask.CompletedTask;
                    },
                    OnSessionInvalid = () =>
                    {
                        file.Remove(key);
                        return ValueTask.CompletedTask;
                    },
                };
                return DialogClientSession.RunAsync(console, connection, dialog, logger, cancellation, ended =>
                {
                    if (ended.Outcome == DialogClientOutcome.LoggedOut)
                    {
                        file.Remove(key);
                    }
                });
            });
        });
        return command;
    }

    /// <summary>
    /// The token kept for <paramref name="server"/>, when it may be sent over this connection; otherwise null, with one
    /// line saying why (the server then asks for the password). A token kept by an older Parley is forgotten.
    /// </summary>
    private static string? KeptToken(CliConsole console, SessionFile file, string server, string transport, string? fingerprint)
    {
        if (file.Get(server) is not { } entry)
        {
            return null;
        }

        if (SessionTransport.Refusal(entry, server, transport, fingerprint) is not { } refusal)
        {
            return entry.Token;
        }

        console.Error.WriteLine($"parley: {refusal}");
        if (entry.Transport is null)
        {
            file.Remove(server);
        }

        return null;
    }

    /// <summary>Whether the server listens beyond loopback (every interface, or another address) without TLS.</summary>
    internal static bool IsCleartextBeyondLoopback(TcpServerOptions options) =>
        options.Transform is null && (options.Address is not { } address || !IPAddress.IsLoopback(address));
}
