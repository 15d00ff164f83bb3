namespace Parley.Cli.Tests.Support;

/// <summary>
/// A test that runs an outside program (testssl, openssl): skipped, with the reason, when the program is not installed,
/// unless <c>PARLEY_REQUIRE_SERVICES=1</c> (as .ci/run sets, after installing them), when it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProgramFactAttribute : FactAttribute
{
    public const string RequireVariable = "PARLEY_REQUIRE_SERVICES";

    public ProgramFactAttribute(string program, string package)
    {
        if (Find(program) is null && Environment.GetEnvironmentVariable(RequireVariable) != "1")
        {
            Skip = $"{program} is not installed (apt-get install {package}; {RequireVariable}=1 fails the test instead of skipping it)";
        }
    }

    /// <summary>The full path of <paramref name="program"/> on the PATH, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
