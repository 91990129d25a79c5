using System.Text.Json.Nodes;
using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;

namespace ImageReducer.Cli.Config;

/// <summary>
/// The keys a configuration may hold, read from the engine's one definition of its JSON form
/// (<see cref="ConfigJson.FieldNames"/>), so the CLI never keeps a second list. Mapper options are
/// free-form here: the mapper registry validates them.
/// </summary>
internal static class ConfigKeys
{
    private static readonly string Mapper = ConfigJson.FieldName(nameof(MapReduceConfig.Mapper));
    private static readonly string Reducer = ConfigJson.FieldName(nameof(MapReduceConfig.Reducer));

    /// <summary>Throws when a dotted <paramref name="key"/> names no configuration field.</summary>
    public static void CheckKnown(string key, string origin)
    {
        string[] path = key.Split('.');
        string head = path[0];
        if (!Contains(ConfigJson.FieldNames, head))
            throw Unknown(origin, key, ConfigJson.FieldNames);
        if (path.Length == 1) return;
        if (path.Length == 2 && head == Mapper) return;
        if (path.Length == 2 && head == Reducer)
        {
            if (!Contains(ConfigJson.ReducerFieldNames, path[1])) throw Unknown(origin, key, ConfigJson.ReducerFieldNames.Select(r => $"{Reducer}.{r}"));
            return;
        }
        throw new UsageException($"{origin}: unknown key '{key}' ('{head}' has no field '{string.Join('.', path[1..])}')");
    }

    /// <summary>Throws when an object from a config file holds an unknown key (top level or under <c>reducer</c>).</summary>
    public static void CheckKnown(JsonObject root, string origin)
    {
        foreach (var (name, value) in root)
        {
            CheckKnown(name, origin);
            if (name == Reducer && value is JsonObject reducer)
                foreach (var (child, _) in reducer) CheckKnown($"{Reducer}.{child}", origin);
        }
    }

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        foreach (string n in names)
            if (string.Equals(n, name, StringComparison.Ordinal)) return true;
        return false;
    }

    private static UsageException Unknown(string origin, string key, IEnumerable<string> known) =>
        new($"{origin}: unknown key '{key}' (known: {string.Join(", ", known)})");
}
