using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Config;

/// <summary>
/// Writes a <see cref="MapReduceConfig"/> inside another document (a stored plan) in its own JSON form
/// (<see cref="ConfigJson"/>: the reference's names, enums as words), and reads it back validated, so a document can
/// carry the configuration typed instead of as a string that every reader parses again.
/// </summary>
public sealed class MapReduceConfigConverter : JsonConverter<MapReduceConfig>
{
    /// <inheritdoc/>
    /// <exception cref="ConfigValidationException">The embedded configuration is invalid.</exception>
    public override MapReduceConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        MapReduceConfig config = JsonSerializer.Deserialize<MapReduceConfig>(ref reader, ConfigJson.Options)
            ?? throw new ConfigValidationException("(root)", "the configuration must be a JSON object");
        return config.Validate();
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, MapReduceConfig value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, ConfigJson.Options);
}
