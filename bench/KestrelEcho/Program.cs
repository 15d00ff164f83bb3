using System.Globalization;
using KestrelEcho;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The Kestrel baseline echo server of bench/run.sh. Prints "Listening on [::]:PORT" once it accepts connections;
// stops on Ctrl+C or SIGTERM.
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 9100;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port, listen => listen.UseConnectionHandler<EchoHandler>()));
var app = builder.Build();
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"Listening on [::]:{address[(address.LastIndexOf(':') + 1)..]}");
await app.WaitForShutdownAsync();
