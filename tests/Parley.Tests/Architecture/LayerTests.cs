using System.Reflection;
using NetArchTest.Rules;
using Parley.Framing;

namespace Parley.Tests.Architecture;

public sealed class LayerTests
{
    /// <summary>The layers of docs/architecture.md, bottom first: each namespace may use its own layer and those below.</summary>
    private static readonly string[][] Layers =
    [
        ["Parley.Shared", "Parley.Unicode", "Parley.Net", "Parley.Hosting", "Parley.Epoll"],
        ["Parley.Tcp", "Parley.Udp", "Parley.Framing"],
        ["Parley.Tls", "Parley.Echo", "Parley.Dialog", "Parley.Chat"],
        ["Parley.Ping"],
        ["Parley.Identity", "Parley.Auth", "Parley.Storage", "Parley.Bench"],
    ];

    private static readonly Assembly Sockets = typeof(MessageSocket).Assembly;

    private static readonly Assembly[] Library = [Sockets, typeof(Parley.Auth.AuthHandler).Assembly, typeof(Parley.Bench.LoadGenerator).Assembly];

    private static List<(string From, string To)> Dependencies()
    {
        var names = Layers.SelectMany(l => l).ToArray();
        var found = new List<(string, string)>();
        foreach (var from in names)
        {
            foreach (var to in names.Where(n => n != from))
            {
                var result = Types.InAssemblies(Library).That().ResideInNamespace(from).ShouldNot().HaveDependencyOn(to).GetResult();
                if (!result.IsSuccessful)
                {
                    found.Add((from, to));
                }
            }
        }

        return found;
    }

    [Fact]
    public void The_library_namespaces_form_the_documented_layers_with_no_upward_dependency_and_no_cycle()
    {
        var dependencies = Dependencies();

        Assert.Empty(LayerCheck.Problems(Layers, dependencies));
        Assert.Contains(("Parley.Tls", "Parley.Tcp"), dependencies); // the check sees dependencies at all
    }

    [Fact]
    public void Every_namespace_of_the_library_has_a_layer()
    {
        var known = Layers.SelectMany(l => l).ToHashSet();
        var namespaces = Library.SelectMany(a => a.GetTypes())
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith("Parley", StringComparison.Ordinal))
            .Distinct();

        Assert.All(namespaces, n => Assert.Contains(n!, known));
    }

    [Fact]
    public void The_check_finds_a_cycle_in_a_made_up_dependency_list()
    {
        string[][] layers = [["A", "B", "C"]];
        (string, string)[] dependencies = [("A", "B"), ("B", "C"), ("C", "A")];

        var problems = LayerCheck.Problems(layers, dependencies);

        Assert.Equal(["cycle: A -> B -> C -> A"], problems);
    }

    [Fact]
    public void The_check_finds_a_dependency_that_goes_up_in_a_made_up_list()
    {
        string[][] layers = [["Low"], ["High"]];
        (string, string)[] dependencies = [("High", "Low"), ("Low", "High")];

        var problems = LayerCheck.Problems(layers, dependencies);

        Assert.Contains("Low -> High: goes up, from layer 0 to layer 1", problems);
        Assert.Contains("cycle: High -> Low -> High", problems);
    }

    [Fact]
    public void The_check_passes_a_made_up_list_that_keeps_the_layers()
    {
        string[][] layers = [["Low", "Side"], ["High"]];
        (string, string)[] dependencies = [("High", "Low"), ("High", "Side"), ("Side", "Low")];

        Assert.Empty(LayerCheck.Problems(layers, dependencies));
    }

    [Theory]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("SQLitePCLRaw")]
    [InlineData("NSec")]
    [InlineData("libsodium")]
    [InlineData("Npgsql")]
    [InlineData("StackExchange.Redis")]
    [InlineData("HdrHistogram")]
    public void The_assembly_of_the_Parley_Sockets_package_references_no_heavy_dependency(string prefix)
    {
        var references = Sockets.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }
}
