using System.Text.Json;
using System.Text.Json.Nodes;
using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;

namespace ImageReducer.Cli.Config;

/// <summary>
/// Builds the <see cref="MapReduceConfig"/> of a command: the <c>--config</c> JSON object, then each
/// <c>--set KEY=VALUE</c> in order, then one deserialisation and validation by the engine.
/// </summary>
/// <remarks>
/// Overrides are applied to a <see cref="JsonObject"/> rather than to the record so that a dotted
/// key reaches nested objects (<c>mapper.addAmount</c>) and mapper options the CLI knows nothing
/// about. Every failure is a <see cref="UsageException"/> or <see cref="ConfigValidationException"/>
/// whose message names the file or the key.
/// </remarks>
internal static class ConfigLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Loads <paramref name="configFile"/> (optional) and applies <paramref name="sets"/>.</summary>
    public static MapReduceConfig Load(FileInfo? configFile, IReadOnlyList<string> sets)
    {
        JsonObject root = configFile is null ? new JsonObject() : ReadFile(configFile);
        if (configFile is not null) ConfigKeys.CheckKnown(root, $"--config {configFile.Name}");
        var setKeys = new List<(string Key, string Text)>();
        foreach (string set in sets)
        {
            var (key, value) = ConfigOverride.Parse(set);
            ConfigKeys.CheckKnown(key, $"--set {set}");
            ConfigOverride.Apply(root, key, value, set);
            setKeys.Add((key, set));
        }
        try
        {
            return ConfigJson.Deserialize(root.ToJsonString());
        }
        catch (ConfigValidationException e)
        {
            // Name the --set that produced the bad value when there is one: the user typed it.
            var origin = setKeys.LastOrDefault(s => e.Field == s.Key || e.Field.StartsWith(s.Key + ".", StringComparison.Ordinal) || e.Field.StartsWith(s.Key + "[", StringComparison.Ordinal));
            string where = origin.Text is not null ? $"--set {origin.Text}" : configFile is not null ? $"--config {configFile.Name}" : "configuration";
            throw new ConfigValidationException(e.Field, $"{where}: {e.Message}");
        }
    }

    private static JsonObject ReadFile(FileInfo file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--config {file.FullName}: cannot read the file ({e.Message})", e);
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new UsageException($"--config {file.FullName}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }
        return node as JsonObject ?? throw new UsageException($"--config {file.FullName}: must hold a JSON object, got {node?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}");
    }
}
