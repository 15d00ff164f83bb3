using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace KestrelEcho;

/// <summary>Echo as Kestrel does it: copy the connection's input pipe to its output pipe, flushing after each read.</summary>
internal sealed class EchoHandler : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            foreach (var segment in buffer)
            {
                output.Write(segment.Span);
            }

            input.AdvanceTo(buffer.End);
            var flush = await output.FlushAsync();
            if (result.IsCompleted || flush.IsCompleted)
            {
                return;
            }
        }
    }
}
