using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Logging;
using Parley.Echo;
using Parley.Tests.Support;
using Parley.Tests.Tls;
using Parley.Tls;

namespace Parley.Tests.Threats;

/// <summary>
/// Issue 16: "A TLS renegotiation request or a forged record after the handshake" was logged as an unexpected error
/// with a full stack trace. Now it is the client's protocol error: one warning naming the client, and the server goes
/// on serving the others. (The renegotiation itself is in the CLI's TlsRenegotiationThreatTests, with openssl.)
/// </summary>
public sealed class TlsAfterHandshakeThreatTests
{
    private static LoopbackServer StartTls() =>
        LoopbackServer.Start(logs => new EchoHandler(new EchoOptions(), logs), o => o.Transform = TlsTestCertificates.Transform());

    private static async Task<(Socket Socket, SslStream Tls)> HandshakeAsync(LoopbackServer server, CancellationToken ct)
    {
        var socket = await server.ConnectAsync(cancellationToken: ct);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12,
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        }, ct);
        return (socket, tls);
    }

    [Theory]
    [InlineData("application data that does not decrypt", new byte[] { 0x17, 0x03, 0x03, 0x00, 0x20 })]
    [InlineData("a record of an unknown type", new byte[] { 0x42, 0x03, 0x03, 0x00, 0x20 })]
    public async Task A_forged_record_after_the_handshake_is_one_warning_naming_the_client_without_a_stack_trace(string what, byte[] header)
    {
        var ct = TestTimeout.Token();
        await using var server = StartTls();
        var (socket, tls) = await HandshakeAsync(server, ct);
        using var _ = socket;
        await using var __ = tls;
        var (honestSocket, honest) = await HandshakeAsync(server, ct);
        using var ___ = honestSocket;
        await using var ____ = honest;

        // Raw bytes under the TLS layer: a record header and 32 bytes that no key produced.
        await socket.SendAsync(header.Concat(new byte[32]).ToArray(), SocketFlags.None, ct);
        await Poll.UntilAsync(() => server.Server.ConnectionCount == 1, $"the connection that sent {what} to be closed");

        var warning = Assert.Single(server.Logs.Events("TlsProtocolError"));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Null(warning.Exception);
        Assert.Contains($"({socket.LocalEndPoint})", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Logs.GetSnapshot(), r => r.Exception is not null || r.Level >= LogLevel.Error);
        Assert.True(server.Logs.Has("ClientDisconnected", r => r.Message.Contains("protocol error", StringComparison.Ordinal)));

        await honest.WriteAsync("still here\n"u8.ToArray(), ct);
        var buffer = new byte[11];
        await honest.ReadExactlyAsync(buffer, ct);
        Assert.Equal("still here\n", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public void TLS_1_2_offers_only_ECDHE_key_exchange_with_AEAD_ciphers_and_TLS_1_3_keeps_its_suites()
    {
        var names = TlsCipherSuites.Allowed.Select(static s => s.ToString()).ToList();

        Assert.All(names.Where(static n => !n.StartsWith("TLS_AES_", StringComparison.Ordinal) && n != "TLS_CHACHA20_POLY1305_SHA256"),
            n => Assert.Matches("^TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)$", n));
        Assert.Contains("TLS_AES_128_GCM_SHA256", names);
        Assert.Contains("TLS_AES_256_GCM_SHA384", names);
        Assert.Contains("TLS_CHACHA20_POLY1305_SHA256", names);
        Assert.Equal(OperatingSystem.IsWindows(), TlsCipherSuites.ServerPolicy is null);
    }
}
