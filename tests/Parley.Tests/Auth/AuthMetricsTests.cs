using System.Net;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Parley.Auth;
using Parley.Dialog;
using Parley.Shared;
using Parley.Storage;
using Parley.Tests.Support;

namespace Parley.Tests.Auth;

[Collection(MeterCollection.Name)]
public sealed class AuthMetricsTests : IDisposable
{
    private static readonly Argon2Settings Cheap = new(64, 1);
    private readonly TempDatabase _file = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero));
    private readonly PasswordHashingPool _pool = new(workers: 2, queueLength: 64);
    private readonly ParleyDatabase _database;

    public AuthMetricsTests()
    {
        _database = _file.Open();
    }

    public void Dispose()
    {
        _pool.Dispose();
        _database.Dispose();
        _file.Dispose();
    }

    [Fact]
    public async Task Sign_ins_are_counted_by_outcome_with_registrations_resumes_and_every_hash_timed()
    {
        var ct = TestTimeout.Token();
        using var signIns = new MetricCollector<long>(ParleyMeter.Instance, "parley.auth.sign_ins");
        using var registrations = new MetricCollector<long>(ParleyMeter.Instance, "parley.auth.registrations");
        using var resumes = new MetricCollector<long>(ParleyMeter.Instance, "parley.auth.resumes");
        using var hashing = new MetricCollector<double>(ParleyMeter.Instance, "parley.auth.password_hashing.duration");
        using var queue = new MetricCollector<long>(ParleyMeter.Instance, "parley.auth.password_hashing.queue");
        await using var server = LoopbackServer.Start(logs => new AuthHandler(
            new AuthStore(_database), new AuthOptions(), new PasswordHasher(Cheap), _pool, logs, _time));
        var from = IPAddress.Parse("127.0.2.40");

        var (registered, session) = await AuthTestClient.RegisterAsync(server, from, "alice", "correct horse", ct);
        await registered.DisposeAsync();
        for (var i = 0; i < 2; i++)
        {
            await using var right = (await AuthTestClient.LoginAsync(server, from, "alice", "correct horse", ct)).Client;
        }

        await using (var wrong = await AuthTestClient.ConnectAsync(server, from, ct))
        {
            Assert.Equal(DialogTypes.Error, (await AuthTestClient.TryLoginAsync(wrong, "alice", "wrong horse", ct)).Type);
            Assert.Equal(DialogTypes.Error, (await AuthTestClient.TryLoginAsync(wrong, "alice", "any horse", ct)).Type);
            Assert.Equal(DialogTypes.Error, (await AuthTestClient.TryLoginAsync(wrong, "alice", "still wrong", ct)).Type);
        }

        await using (var resuming = await AuthTestClient.ConnectAsync(server, from, ct))
        {
            Assert.Equal(DialogTypes.Session, (await AuthTestClient.ResumeAsync(resuming, session.Token!, ct)).Type);
        }

        await using (var stale = await AuthTestClient.ConnectAsync(server, from, ct))
        {
            Assert.Equal(DialogTypes.Error, (await AuthTestClient.ResumeAsync(stale, session.Token!, ct)).Type);
        }

        Assert.Equal(2, Count(signIns, "success"));
        Assert.Equal(3, Count(signIns, "wrong_password"));
        Assert.Equal(5, signIns.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, registrations.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, Count(resumes, "success"));
        Assert.Equal(1, Count(resumes, "refused"));
        // One hash for the registration, one check for each password sign-in.
        Assert.Equal(6, hashing.GetMeasurementSnapshot().Count);
        Assert.All(hashing.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0));
        Assert.Equal(0, queue.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    private static long Count(MetricCollector<long> collector, string outcome) =>
        collector.GetMeasurementSnapshot().Where(m => m.Tags["parley.outcome"] as string == outcome).Sum(m => m.Value);
}
