namespace Parley.Tests.Architecture;

/// <summary>
/// Checks namespace dependencies against layers: a dependency may go to the same layer or one below, never above,
/// and the dependencies form no cycle. Pure, so that it can be shown to catch what it should on made-up lists.
/// </summary>
internal static class LayerCheck
{
    /// <summary>What is wrong with <paramref name="dependencies"/> under <paramref name="layers"/> (bottom first); empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<string[]> layers, IReadOnlyCollection<(string From, string To)> dependencies)
    {
        var layerOf = new Dictionary<string, int>();
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var name in layers[i])
            {
                layerOf[name] = i;
            }
        }

        var problems = new List<string>();
        foreach (var (from, to) in dependencies)
        {
            if (!layerOf.TryGetValue(from, out var low) || !layerOf.TryGetValue(to, out var high))
            {
                problems.Add($"{from} -> {to}: {(layerOf.ContainsKey(from) ? to : from)} is in no layer");
            }
            else if (high > low)
            {
                problems.Add($"{from} -> {to}: goes up, from layer {low} to layer {high}");
            }
        }

        problems.AddRange(Cycles(dependencies).Select(cycle => $"cycle: {string.Join(" -> ", cycle)}"));
        return problems;
    }

    /// <summary>Every cycle found by a depth-first search, each written from its first node back to it.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlyCollection<(string From, string To)> dependencies)
    {
        var next = dependencies.GroupBy(d => d.From).ToDictionary(g => g.Key, g => g.Select(d => d.To).Distinct().Order().ToList());
        var state = new Dictionary<string, int>(); // 1: on the current path, 2: done
        var path = new List<string>();
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var to in next.GetValueOrDefault(node) ?? [])
            {
                if (state.GetValueOrDefault(to) == 1)
                {
                    cycles.Add([.. path[path.IndexOf(to)..], to]);
                }
                else if (state.GetValueOrDefault(to) == 0)
                {
                    Visit(to);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
        }

        foreach (var node in next.Keys.Order())
        {
            if (state.GetValueOrDefault(node) == 0)
            {
                Visit(node);
            }
        }

        return cycles;
    }
}
