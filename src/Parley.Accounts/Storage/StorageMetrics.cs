using System.Diagnostics.Metrics;
using Parley.Shared;

namespace Parley.Storage;

/// <summary>The store's instruments, shared by the services above it (ident and auth).</summary>
internal static class StorageMetrics
{
    private static readonly Counter<long> StoreErrors = ParleyMeter.Instance.CreateCounter<long>(
        "parley.accounts.store_errors", "{error}", "Store (database) failures met while serving a client, by parley.service");

    /// <summary>Counts a store failure met while <paramref name="service"/> served a client.</summary>
    public static void StoreError(string service)
    {
        if (StoreErrors.Enabled)
        {
            StoreErrors.Add(1, new KeyValuePair<string, object?>("parley.service", service));
        }
    }
}
