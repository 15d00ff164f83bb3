using System.Text.Json.Serialization;

namespace Parley.Dialog;

/// <summary>Compile-time JSON for dialog messages: camelCase names, absent fields left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(DialogMessage))]
internal sealed partial class DialogJsonContext : JsonSerializerContext;
