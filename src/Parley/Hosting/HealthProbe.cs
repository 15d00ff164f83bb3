namespace Parley.Hosting;

/// <summary>
/// Checks one thing a server depends on (its database, its relay) with a cheap request, and says whether it can
/// serve. A store or relay offers one; the program that runs the server polls it for its health endpoint, at most
/// once a second or two, so a probe need not cache. It should answer within a second and honour the token.
/// </summary>
public delegate ValueTask<HealthStatus> HealthProbe(CancellationToken cancellationToken);
