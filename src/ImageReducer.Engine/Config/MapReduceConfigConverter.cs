using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Config;

/// <summary>
/// Writes a <see cref="MapReduceConfig"/> inside another document (a stored plan) in its own JSON form
/// (<see cref="ConfigFields"/>: the reference's names, enums as words), and reads it back, so a document can
/// carry the configuration typed instead of as a string that every reader parses again. Registered in
/// <see cref="ConfigJson.Options"/> too, so every serialisation of a configuration has this one form.
/// </summary>
/// <remarks>
/// Transport, not a parse: the configuration was parsed and validated once at the run's edge (<see cref="ConfigJson.Deserialize"/>),
/// so reading it back does not validate again; the plan validates what it is given (<see cref="MapReduceConfig.Validate"/>),
/// so a configuration built invalid in code fails there with its field named, not in the orchestration's input.
/// </remarks>
public sealed class MapReduceConfigConverter : JsonConverter<MapReduceConfig>
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The embedded value is not a configuration object, or a field is in error (named in the message).</exception>
    public override MapReduceConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FieldTableConverter<MapReduceConfig>.Read(ConfigFields.Config, ref reader, () => new MapReduceConfig());

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, MapReduceConfig value, JsonSerializerOptions options) => ConfigFields.Config.Write(writer, value);
}

/// <summary>A record's field table as a converter (<see cref="ReducerConfig"/>, <see cref="MapperConfig"/>), for <see cref="ConfigJson.Options"/>.</summary>
internal sealed class FieldTableConverter<T>(JsonFieldTable<T> table, Func<T> initial) : JsonConverter<T> where T : class
{
    /// <inheritdoc/>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Read(table, ref reader, initial);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => table.Write(writer, value);

    /// <summary>
    /// Reads through <paramref name="table"/> inside System.Text.Json (which handles <c>null</c> itself). A field's error
    /// names the field in its message and leaves the path to the serializer, which knows where in the document this object is.
    /// </summary>
    internal static T Read(JsonFieldTable<T> table, ref Utf8JsonReader reader, Func<T> initial)
    {
        try
        {
            return table.ReadValue(ref reader, initial())!;
        }
        catch (JsonException e) when (e.Path is not null)
        {
            throw new JsonException($"at '{e.Path}': {e.Message}", e);
        }
    }
}
