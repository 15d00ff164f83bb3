using System.Diagnostics;
using System.Diagnostics.Metrics;
using Parley.Shared;

namespace Parley.Auth;

/// <summary>
/// The authentication server's instruments. Its conversations are its connections (<c>parley.server.*</c> with
/// <c>parley.service</c> <c>auth</c>); store errors of ident and auth are counted by <see cref="Storage.StorageMetrics"/>.
/// </summary>
internal static class AuthMetrics
{
    private static readonly Counter<long> SignIns = ParleyMeter.Instance.CreateCounter<long>(
        "parley.auth.sign_ins", "{sign_in}",
        "Password sign-ins by parley.outcome: success, wrong_password (or no such user), throttled, busy, unavailable");

    private static readonly Counter<long> Registrations = ParleyMeter.Instance.CreateCounter<long>(
        "parley.auth.registrations", "{user}", "New users registered");

    private static readonly Counter<long> Resumes = ParleyMeter.Instance.CreateCounter<long>(
        "parley.auth.resumes", "{session}", "Sessions resumed with a token, by parley.outcome: success, refused");

    private static readonly Histogram<double> HashingDuration = ParleyMeter.Instance.CreateHistogram(
        "parley.auth.password_hashing.duration", "s", "How long each password hash or check took on a hashing thread (not counting the wait)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ParleyMeter.DurationBuckets });

    private static readonly UpDownCounter<long> HashingQueue = ParleyMeter.Instance.CreateUpDownCounter<long>(
        "parley.auth.password_hashing.queue", "{hash}", "Password hashes waiting for a hashing thread now");

    public static void SignIn(string outcome) => Add(SignIns, "parley.outcome", outcome);

    public static void Registered() => Add(Registrations, null, null);

    public static void Resume(bool success) => Add(Resumes, "parley.outcome", success ? "success" : "refused");

    public static void Queued(int delta)
    {
        if (HashingQueue.Enabled)
        {
            HashingQueue.Add(delta);
        }
    }

    /// <summary>A timestamp to give <see cref="Hashed"/>; 0 when nobody listens, so an idle meter costs no clock read.</summary>
    public static long HashingStarts() => HashingDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    public static void Hashed(long started)
    {
        if (started != 0 && HashingDuration.Enabled)
        {
            HashingDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static void Add(Counter<long> counter, string? key, string? value)
    {
        if (!counter.Enabled)
        {
            return;
        }

        if (key is null)
        {
            counter.Add(1);
        }
        else
        {
            counter.Add(1, new KeyValuePair<string, object?>(key, value));
        }
    }
}
