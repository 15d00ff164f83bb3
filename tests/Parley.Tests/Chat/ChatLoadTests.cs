using Parley.Tests.Support;

namespace Parley.Tests.Chat;

/// <summary>Many members on loopback at once.</summary>
public sealed class ChatLoadTests
{
    private const int Members = 200;
    private const int Senders = 10;
    private const int Burst = 20;

    [Fact]
    public async Task Two_hundred_members_each_get_every_message_of_a_burst_in_order_per_sender()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(120));
        await using var chat = LoopbackChat.Start();
        var peers = new List<ChatPeer>();
        try
        {
            for (var i = 0; i < Members; i++)
            {
                peers.Add(await chat.JoinAsync($"m{i:000}", ct));
            }

            // Everyone has read the join notices of those after them (after the challenge and the welcome), so the
            // burst meets empty socket buffers.
            await Poll.UntilAsync(() => peers.Select((p, i) => p.ReceivedCount == Members - i + 1).All(x => x), "every join notice", TimeSpan.FromSeconds(60));
            foreach (var peer in peers)
            {
                peer.Pending();
            }

            await Task.WhenAll(peers.Take(Senders).Select(async (sender, s) =>
            {
                for (var n = 0; n < Burst; n++)
                {
                    await sender.SendAsync($"burst {n:00}", ct);
                }
            }));

            await Task.WhenAll(peers.Select(async (peer, p) =>
            {
                var expected = (Senders - (p < Senders ? 1 : 0)) * Burst;
                var next = new int[Senders];
                for (var received = 0; received < expected; received++)
                {
                    var line = await peer.ReceiveAsync(ct);
                    var sender = int.Parse(line[2..5], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.NotEqual(p, sender);
                    Assert.Equal($"<m{sender:000}> burst {next[sender]:00}", line);
                    next[sender]++;
                }
            }));
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }

        Assert.Equal(Senders * Burst, chat.Logs.Events("Relayed").Count);
    }
}
