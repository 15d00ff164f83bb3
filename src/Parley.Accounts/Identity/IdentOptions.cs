namespace Parley.Identity;

/// <summary>Settings of the identification service.</summary>
public sealed class IdentOptions
{
    /// <summary>How many times a new client is asked its name before the server gives up with <c>bye</c>. Default 3.</summary>
    public int NameTries { get; set; } = 3;
}
