using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// A <see cref="ReduceOperation"/> as its word, matched exactly (the reference's <c>ChoiceField</c> rejects
/// <c>"Average"</c> where it allows <c>"average"</c>); anything else is refused with the valid words listed.
/// </summary>
public sealed class ReduceOperationJsonConverter : JsonConverter<ReduceOperation>
{
    /// <inheritdoc/>
    public override ReduceOperation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? word = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (ReduceOperation.Find(word) is { } op) return op;
        string got = word is not null ? $"\"{word}\"" : reader.TokenType.ToString().ToLowerInvariant();
        throw new JsonException($"{got} is not allowed; allowed (exact case): {ReduceOperation.AllowedNames}");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ReduceOperation value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.Name);
    }
}
