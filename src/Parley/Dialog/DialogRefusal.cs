using Parley.Framing;

namespace Parley.Dialog;

/// <summary>
/// What a dialog server says to a client it turns away at the door (a connection limit): <c>hello</c>, <c>error</c>
/// <c>busy</c> with the reason, and <c>bye</c>, as framed bytes ready to send (<see cref="Tcp.TcpServerOptions.Refusal"/>).
/// </summary>
internal static class DialogRefusal
{
    /// <summary>The three messages for <paramref name="service"/> (<c>ident</c>, <c>auth</c>), refusing for <paramref name="reason"/>.</summary>
    public static ReadOnlyMemory<byte> Busy(string service, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(reason);
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        LengthPrefixCodec.WriteMessage(writer, DialogCodec.Serialize(DialogMessage.Hello(service)));
        LengthPrefixCodec.WriteMessage(writer, DialogCodec.Serialize(DialogMessage.Error(DialogErrorCodes.Busy,
            $"The server refused the connection: {reason}. Try again later.")));
        LengthPrefixCodec.WriteMessage(writer, DialogCodec.Serialize(DialogMessage.Bye("Closing the connection.")));
        return writer.WrittenMemory;
    }
}
