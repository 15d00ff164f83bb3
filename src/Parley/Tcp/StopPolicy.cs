namespace Parley.Tcp;

/// <summary>Which clients may stop a server with the <c>stop</c> command.</summary>
public enum StopPolicy
{
    /// <summary>Only clients connected from a loopback address (127.0.0.0/8, ::1). The default.</summary>
    Local,

    /// <summary>Any client. Anyone who can reach the port can then shut the server down.</summary>
    Any,

    /// <summary>No client; the server stops only from its console or a signal.</summary>
    None,
}
