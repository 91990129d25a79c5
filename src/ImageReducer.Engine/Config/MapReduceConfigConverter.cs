using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Config;

/// <summary>
/// Writes a <see cref="MapReduceConfig"/> inside another document (a stored plan) in its own JSON form
/// (<see cref="ConfigJson"/>: the reference's names, enums as words), and reads it back validated, so a document can
/// carry the configuration typed instead of as a string that every reader parses again.
/// </summary>
/// <remarks>
/// Transport, not a parse: the configuration was parsed and validated once at the run's edge (<see cref="ConfigJson.Deserialize"/>),
/// so reading it back does not validate again; the plan validates what it is given (<see cref="MapReduceConfig.Validate"/>),
/// so a configuration built invalid in code fails there with its field named, not in the orchestration's input.
/// </remarks>
public sealed class MapReduceConfigConverter : JsonConverter<MapReduceConfig>
{
    /// <inheritdoc/>
    /// <exception cref="ConfigValidationException">The embedded value is not a configuration object.</exception>
    public override MapReduceConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<MapReduceConfig>(ref reader, ConfigJson.Options)
            ?? throw new ConfigValidationException("(root)", "the configuration must be a JSON object");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, MapReduceConfig value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, ConfigJson.Options);
}
