using System.Text.Json;

namespace ImageReducer.Cli.Remote;

/// <summary>
/// Reads the parts of an API document the contract leaves open (the orchestration output, written by the Durable data
/// converter, whose naming the API does not control): properties matched case-insensitively.
/// </summary>
internal static class RemoteJson
{
    /// <summary>The property <paramref name="name"/> of an object, matched case-insensitively; null when absent or when <paramref name="element"/> is not an object.</summary>
    public static JsonElement? Property(JsonElement? element, string name)
    {
        if (element is not { ValueKind: JsonValueKind.Object } obj) return null;
        foreach (JsonProperty p in obj.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind is not JsonValueKind.Null and not JsonValueKind.Undefined)
                return p.Value;
        return null;
    }

    /// <summary>A string property, or null.</summary>
    public static string? String(JsonElement? element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    /// <summary>An integer property, or null.</summary>
    public static long? Integer(JsonElement? element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out long v) ? v : null;

    /// <summary><c>az://container/name</c> of a blob path object (<c>{container, name}</c>), or null when <paramref name="element"/> is not one.</summary>
    public static string? BlobText(JsonElement? element) =>
        String(element, "container") is string container && String(element, "name") is string name ? $"az://{container}/{name}" : null;
}
