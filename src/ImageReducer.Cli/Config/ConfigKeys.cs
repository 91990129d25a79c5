using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;

namespace ImageReducer.Cli.Config;

/// <summary>
/// The keys a configuration may hold, read from the engine's own JSON contract so the CLI never
/// keeps a second list. Mapper options are free-form here: the mapper registry validates them.
/// </summary>
internal static class ConfigKeys
{
    private static readonly string[] TopLevel = NamesOf(typeof(MapReduceConfig));
    private static readonly string[] Reducer = NamesOf(typeof(ReducerConfig));

    /// <summary>Throws when a dotted <paramref name="key"/> names no configuration field.</summary>
    public static void CheckKnown(string key, string origin)
    {
        string[] path = key.Split('.');
        string head = path[0];
        if (!TopLevel.Contains(head, StringComparer.Ordinal))
            throw Unknown(origin, key, TopLevel);
        if (path.Length == 1) return;
        switch (head)
        {
            case "mapper" when path.Length == 2:
                return;
            case "reducer" when path.Length == 2:
                if (!Reducer.Contains(path[1], StringComparer.Ordinal)) throw Unknown(origin, key, Reducer.Select(r => "reducer." + r));
                return;
            default:
                throw new UsageException($"{origin}: unknown key '{key}' ('{head}' has no field '{string.Join('.', path[1..])}')");
        }
    }

    /// <summary>Throws when an object from a config file holds an unknown key (top level or under <c>reducer</c>).</summary>
    public static void CheckKnown(JsonObject root, string origin)
    {
        foreach (var (name, value) in root)
        {
            CheckKnown(name, origin);
            if (name == "reducer" && value is JsonObject reducer)
                foreach (var (child, _) in reducer) CheckKnown($"reducer.{child}", origin);
        }
    }

    private static UsageException Unknown(string origin, string key, IEnumerable<string> known) =>
        new($"{origin}: unknown key '{key}' (known: {string.Join(", ", known)})");

    private static string[] NamesOf(Type type)
    {
        JsonTypeInfo info = ConfigJson.Options.GetTypeInfo(type);
        return info.Properties.Select(p => p.Name).Where(n => !string.IsNullOrEmpty(n)).ToArray();
    }
}
