using Parley.Cli;
using Parley.Cli.Hosting;

// Before anything opens a file or socket (Hosting/FileDescriptorLimit.cs).
FileDescriptorLimit.Raise();
return await ParleyCli.RunAsync(args, CliConsole.FromSystem());
