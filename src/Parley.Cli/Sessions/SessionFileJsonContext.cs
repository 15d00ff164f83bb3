using System.Text.Json.Serialization;

namespace Parley.Cli.Sessions;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SessionFileContent))]
internal sealed partial class SessionFileJsonContext : JsonSerializerContext;
