using System.Buffers;
using System.IO.Pipelines;
using Parley.Framing;

namespace Parley.Tests.Framing;

public sealed class MessagePipeExtensionsTests
{
    [Fact]
    public async Task Messages_written_one_byte_at_a_time_are_read_whole()
    {
        var ct = TestTimeout.Token();
        var pipe = new Pipe();
        var wire = new Pipe();
        await wire.Writer.WriteMessageAsync("first", cancellationToken: ct);
        await wire.Writer.WriteMessageAsync("", cancellationToken: ct);
        await wire.Writer.WriteMessageAsync("третий 😀", cancellationToken: ct);
        await wire.Writer.CompleteAsync();
        var bytes = (await wire.Reader.ReadAsync(ct)).Buffer.ToArray();

        var writing = Task.Run(async () =>
        {
            foreach (var b in bytes)
            {
                await pipe.Writer.WriteAsync(new[] { b }, ct);
            }

            await pipe.Writer.CompleteAsync();
        }, ct);

        Assert.Equal("first", await pipe.Reader.ReadMessageAsync(cancellationToken: ct));
        Assert.Equal("", await pipe.Reader.ReadMessageAsync(cancellationToken: ct));
        Assert.Equal("третий 😀", await pipe.Reader.ReadMessageAsync(cancellationToken: ct));
        Assert.Null(await pipe.Reader.ReadMessageAsync(cancellationToken: ct));
        await writing;
    }

    [Fact]
    public async Task A_pipe_ending_inside_a_payload_is_a_protocol_error()
    {
        var ct = TestTimeout.Token();
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 4, (byte)'a' }, ct);
        await pipe.Writer.CompleteAsync();

        var e = await Assert.ThrowsAsync<MessageProtocolException>(async () => await pipe.Reader.ReadMessageAsync(cancellationToken: ct));

        Assert.Equal(MessageProtocolError.TruncatedPayload, e.Error);
        Assert.Equal(4, e.DeclaredLength);
        Assert.Equal(1, e.BytesReceived);
    }

    [Fact]
    public async Task A_declared_length_over_the_pipe_readers_maximum_is_refused_before_the_payload_arrives()
    {
        var ct = TestTimeout.Token();
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 1, 0 }, ct);

        var e = await Assert.ThrowsAsync<MessageProtocolException>(async () => await pipe.Reader.ReadMessageAsync(255, ct));

        Assert.Equal(MessageProtocolError.MessageTooLarge, e.Error);
        Assert.Equal(256, e.DeclaredLength);
    }
}
