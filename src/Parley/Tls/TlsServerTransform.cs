using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Tls;

/// <summary>
/// Puts every accepted connection in TLS 1.2 or 1.3 before the handler sees it, within a time limit. A client that
/// sends plain text, says nothing, or fails the handshake is disconnected with the reason logged; the others are not
/// disturbed.
/// </summary>
public sealed class TlsServerTransform : IConnectionTransform
{
    private const byte HandshakeRecord = 0x16;
    private readonly Func<ILogger, (X509Certificate2 Certificate, string Source)> _loadCertificate;
    private readonly TimeSpan _handshakeTimeout;
    private SslStreamCertificateContext? _context;
    private ILogger? _logger;

    /// <summary>Creates the transform; the certificate is loaded (or made) when the server starts.</summary>
    /// <param name="loadCertificate">Loads the certificate and says where it came from, for the start log.</param>
    /// <param name="handshakeTimeout">How long a client has to complete the handshake. Default 10 seconds.</param>
    public TlsServerTransform(Func<ILogger, (X509Certificate2 Certificate, string Source)> loadCertificate, TimeSpan? handshakeTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(loadCertificate);
        _loadCertificate = loadCertificate;
        _handshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>The certificate in use (after the server started).</summary>
    public X509Certificate2? Certificate { get; private set; }

    /// <inheritdoc />
    public void Start(ILogger logger)
    {
        _logger = logger;
        var (certificate, source) = _loadCertificate(logger);
        Certificate = certificate;
        _context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        TlsLog.CertificateInUse(logger, certificate.Subject, certificate.NotAfter.ToUniversalTime(),
            CertificateFingerprint.Of(certificate).ToString(), source);
    }

    /// <inheritdoc />
    public async Task<Stream> WrapAsync(ServerConnection connection, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var context = _context ?? throw new InvalidOperationException("The TLS transform was not started.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_handshakeTimeout);
        var limit = Durations.Format(_handshakeTimeout);

        // Look at the first bytes without taking them: a TLS client starts with a handshake record.
        var first = new byte[16];
        int peeked;
        try
        {
            peeked = await connection.Socket.ReceiveAsync(first, SocketFlags.Peek, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TlsException($"TLS handshake timed out after {limit}: the client sent nothing");
        }

        if (peeked == 0)
        {
            throw new TlsException("the client closed the connection before the TLS handshake");
        }

        if (first[0] != HandshakeRecord)
        {
            // Take what the client sent before closing: a socket closed with unread data sends a reset, not an end of
            // stream, and the client would report a lost connection instead of the hint to add --tls.
            DrainWaiting(connection.Socket);
            throw new TlsException($"the client does not speak TLS: it sent plain data (\"{DataPreview.Of(first.AsSpan(0, peeked))}\"); disconnected");
        }

        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CipherSuitesPolicy = TlsCipherSuites.ServerPolicy,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new TlsException($"TLS handshake timed out after {limit}");
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new TlsException($"TLS handshake failed: {InnermostMessage.Of(e)}", e);
        }

        if (_logger is { } logger && logger.IsEnabled(LogLevel.Debug))
        {
            TlsLog.ServerHandshakeDone(logger, connection.Id, connection.RemoteEndPoint, tls.SslProtocol.ToString(), tls.NegotiatedCipherSuite.ToString());
        }

        return tls;
    }

    private static void DrainWaiting(Socket socket)
    {
        Span<byte> sink = stackalloc byte[1024];
        try
        {
            for (var budget = 64 * 1024; budget > 0 && socket.Available > 0; budget -= sink.Length)
            {
                if (socket.Receive(sink, SocketFlags.None) == 0)
                {
                    return;
                }
            }
        }
        catch (SocketException)
        {
            // Best effort: the connection is being closed anyway.
        }
    }
}
