namespace Parley.Net;

/// <summary>Why a server could not listen.</summary>
public enum ListenFailure
{
    /// <summary>Every port tried is in use by another program.</summary>
    PortsInUse,

    /// <summary>The operating system refused the port (ports below 1024 need privileges).</summary>
    PermissionDenied,

    /// <summary>The address to bind is not an address of this machine.</summary>
    AddressNotAvailable,

    /// <summary>Any other reason; the message carries the operating system's words.</summary>
    Other,
}
