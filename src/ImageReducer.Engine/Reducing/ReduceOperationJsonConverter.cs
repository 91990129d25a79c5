using System.Text.Json;
using System.Text.Json.Serialization;
using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// A <see cref="ReduceOperation"/> as its word, matched exactly (the reference's <c>ChoiceField</c> rejects
/// <c>"Average"</c> where it allows <c>"average"</c>); anything else is refused with the valid words listed.
/// </summary>
public sealed class ReduceOperationJsonConverter : JsonConverter<ReduceOperation>
{
    /// <inheritdoc/>
    public override ReduceOperation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadWord(ref reader);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ReduceOperation value, JsonSerializerOptions options) => WriteWord(writer, value);

    /// <summary>Reads the operation's word at the reader.</summary>
    /// <exception cref="JsonException">Not a string, or no operation's word (exact case).</exception>
    internal static ReduceOperation ReadWord(ref Utf8JsonReader reader)
    {
        string? word = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (ReduceOperation.Find(word) is { } op) return op;
        throw new JsonException($"{JsonValues.Describe(ref reader)} is not allowed; allowed (exact case): {ReduceOperation.AllowedNames}");
    }

    /// <summary>Writes the operation's word.</summary>
    internal static void WriteWord(Utf8JsonWriter writer, ReduceOperation value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.Name);
    }
}
