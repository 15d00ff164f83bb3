using BenchmarkDotNet.Attributes;
using Parley.Auth;

namespace Parley.Benchmarks.Auth;

/// <summary>One Argon2id hash and one check at the server's settings (OWASP: m=19456 KiB, t=2, p=1).</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class PasswordHashBenchmarks
{
    private readonly PasswordHasher _hasher = new();
    private string _stored = "";

    [GlobalSetup]
    public void Setup() => _stored = _hasher.Hash("correct horse battery staple");

    [Benchmark(Description = "Hash (new salt), m=19456 KiB t=2 p=1")]
    public string Hash() => _hasher.Hash("correct horse battery staple");

    [Benchmark(Description = "Verify a stored hash, m=19456 KiB t=2 p=1")]
    public object Verify() => _hasher.Verify("correct horse battery staple", _stored);
}
