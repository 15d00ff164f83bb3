using Parley.Hosting;

namespace Parley.Cli.Hosting;

/// <summary>
/// What <c>/healthz</c> answers: "stopping" once the server is asked to stop; otherwise what the server's
/// <see cref="HealthProbe"/> (its store or relay) last said, asked at most once every <see cref="CacheFor"/> however
/// often the endpoint is polled, and given up as unhealthy after <see cref="ProbeTimeout"/>. With no probe (SQLite,
/// one chat server on its own) a running server is healthy.
/// </summary>
internal sealed class ServerHealth(Func<bool> isStopping, HealthProbe? probe, TimeProvider? timeProvider = null)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private Task<HealthStatus>? _last;
    private long _askedAt;

    public async Task<HealthStatus> CheckAsync()
    {
        if (isStopping())
        {
            return HealthStatus.Unhealthy("stopping");
        }

        if (probe is null)
        {
            return HealthStatus.Healthy;
        }

        Task<HealthStatus> answer;
        lock (_lock)
        {
            // One probe at a time, shared by every request that comes while it runs or while its answer is fresh.
            if (_last is null || (_last.IsCompleted && _time.GetElapsedTime(_askedAt) >= CacheFor))
            {
                _askedAt = _time.GetTimestamp();
                _last = ProbeAsync(probe);
            }

            answer = _last;
        }

        return await answer.ConfigureAwait(false);
    }

    private async Task<HealthStatus> ProbeAsync(HealthProbe check)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout, _time);
        try
        {
            return await check(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return HealthStatus.Unhealthy($"no answer from the health check within {Parley.Shared.Durations.Format(ProbeTimeout)}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return HealthStatus.Unhealthy(Parley.Shared.TerminalText.Escape(e.Message));
        }
    }
}
