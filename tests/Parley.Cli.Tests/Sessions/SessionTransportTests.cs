using Parley.Cli.Sessions;

namespace Parley.Cli.Tests.Sessions;

public sealed class SessionTransportTests
{
    private const string Fingerprint = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
    private const string Other = "SHA256:ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs";

    [Theory]
    [InlineData("tcp", null, "tcp", null, null)]
    [InlineData("tcp", null, "tls", Fingerprint, null)]
    [InlineData("tls", Fingerprint, "tls", Fingerprint, null)]
    [InlineData("tls", Fingerprint, "tcp", null, "was obtained over TLS and is not sent over plain TCP")]
    [InlineData("tls", Fingerprint, "tls", Other, "was obtained from the certificate " + Fingerprint + ", not from this server's " + Other)]
    [InlineData(null, null, "tcp", null, "saved by an older Parley")]
    [InlineData(null, null, "tls", Fingerprint, "saved by an older Parley")]
    public void A_token_goes_only_where_it_was_issued(string? keptOver, string? keptFrom, string transport, string? fingerprint, string? refusal)
    {
        var entry = new SessionEntry("token", "alice", null) { Transport = keptOver, Fingerprint = keptFrom };

        var said = SessionTransport.Refusal(entry, "host:9002", transport, fingerprint);

        if (refusal is null)
        {
            Assert.Null(said);
        }
        else
        {
            Assert.Contains(refusal, said, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', said!);
        }
    }
}
