using System.Reflection;

namespace Parley.Shared;

/// <summary>The version of the Parley library.</summary>
internal static class ParleyVersion
{
    /// <summary>The informational version, without build metadata.</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var version = typeof(ParleyVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
