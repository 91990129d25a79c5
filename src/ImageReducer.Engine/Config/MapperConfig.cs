using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Config;

/// <summary>
/// Which mapper to run and its options, as one flat JSON object:
/// <c>{"name": "add", "addAmount": 5, "addNans": false}</c>. The options are validated and bound
/// to the mapper's typed options by the mapper registry.
/// </summary>
public sealed record MapperConfig
{
    /// <summary>Registered mapper name; default <c>identity</c>.</summary>
    public string Name { get; init; } = "identity";

    /// <summary>Every other field of the JSON object: the mapper's options (camelCase names).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Options { get; init; } = new(StringComparer.Ordinal);

    /// <exception cref="ConfigValidationException">The name is empty.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ConfigValidationException("mapper.name", "mapper.name must be a non-empty mapper name");
    }

    /// <summary>
    /// Value equality: the same name and options, each option's JSON value compared by value, not by its text (an option
    /// written indented and read back equals the original).
    /// </summary>
    public bool Equals(MapperConfig? other) => other is not null && Name == other.Name &&
        Options.Count == other.Options.Count &&
        Options.All(kv => other.Options.TryGetValue(kv.Key, out var v) && JsonElement.DeepEquals(v, kv.Value));

    public override int GetHashCode() => HashCode.Combine(Name, Options.Count);
}
