namespace Parley.Testing;

/// <summary>
/// A fresh folder under the system's temporary folder, removed with everything in it when the test is done with it
/// (<c>using var folder = new TempFolder("parley-x-");</c>). Declared before the processes that use it, it outlives them.
/// </summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "parley-")
    {
        FullName = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string FullName { get; }

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] names) => Path.Combine([FullName, .. names]);

    public void Dispose() => Delete(FullName);

    /// <summary>Removes <paramref name="folder"/> and everything in it, if it can.</summary>
    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a file still held open is left for the system's temporary-file cleaning.
        }
    }
}
