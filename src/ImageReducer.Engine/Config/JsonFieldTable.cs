using System.Text.Json;

namespace ImageReducer.Engine.Config;

/// <summary>Reads one field's JSON value (the reader is at the value) into <paramref name="record"/>: the record with that field set.</summary>
internal delegate T JsonFieldRead<T>(T record, ref Utf8JsonReader reader);

/// <summary>
/// One field of a record's JSON form: its JSON name, how its value is read into a copy of the record (a
/// <c>with</c>-expression, so the record stays immutable and its initialisers stay the only defaults) and how
/// the property is written (nothing when the value is null, as <see cref="ConfigJson.Options"/> omits nulls).
/// </summary>
internal sealed class JsonField<T>(string name, JsonFieldRead<T> read, Action<Utf8JsonWriter, T> write)
    where T : class
{
    /// <summary>The JSON name: the camelCase of the property's name (<see cref="ConfigJson.FieldName"/>).</summary>
    public string Name { get; } = name;

    /// <summary>Reads the value into the record.</summary>
    public JsonFieldRead<T> Read { get; } = read;

    /// <summary>Writes the property, name and value, or nothing when the value is null.</summary>
    public Action<Utf8JsonWriter, T> Write { get; } = write;
}

/// <summary>
/// The fields of an object that also holds free-form fields (the mapper's options): every JSON field no
/// <see cref="JsonField{T}"/> names, kept in their order, written after the named ones.
/// </summary>
internal sealed record JsonOtherFields<T>(
    Func<T, Dictionary<string, JsonElement>?> Get, Func<T, Dictionary<string, JsonElement>, T> With);

/// <summary>Error paths of the field tables.</summary>
internal static class JsonFieldTable
{
    /// <summary>
    /// <paramref name="e"/> (thrown inside <paramref name="segment"/>) with its path prefixed by the segment: <c>reduceOperation</c>
    /// inside <c>reducer</c> is <c>reducer.reduceOperation</c>, <c>[2]</c> inside <c>cellCentroidsX</c> is <c>cellCentroidsX[2]</c>.
    /// </summary>
    public static JsonException At(string segment, JsonException e)
    {
        string path = e.Path is null ? segment : e.Path.StartsWith('[') ? segment + e.Path : $"{segment}.{e.Path}";
        return new JsonException(e.Message, path, e.LineNumber, e.BytePositionInLine, e.InnerException ?? e);
    }
}

/// <summary>
/// A record's JSON form as a table of its fields, read and written by hand with <see cref="Utf8JsonReader"/> and
/// <see cref="Utf8JsonWriter"/>: no reflection, no emitted code, nothing compiled at run time beyond this ReadyToRun code.
/// </summary>
/// <remarks>
/// Reading: an unknown field (unless the object keeps other fields) and a field given twice are errors; a value of the
/// wrong kind is an error whose <see cref="JsonException.Path"/> is the field's path relative to the object read
/// (<c>reducer.reduceOperation</c>, <c>cellCentroidsX[2]</c>). Writing: the fields in table order (the properties'
/// declaration order), nulls omitted, then the other fields in their order.
/// </remarks>
internal sealed class JsonFieldTable<T> where T : class
{
    private readonly JsonField<T>[] fields;
    private readonly JsonOtherFields<T>? others;
    private readonly string what;

    /// <param name="what">The object in error messages ("the configuration", "reducer").</param>
    /// <param name="fields">The fields, in the order they are written.</param>
    /// <param name="others">Where fields not in the table go, or null when they are errors.</param>
    public JsonFieldTable(string what, JsonField<T>[] fields, JsonOtherFields<T>? others = null)
    {
        // A bit per field marks the fields read so far.
        if (fields.Length > 64) throw new ArgumentException("at most 64 fields per object", nameof(fields));
        this.what = what;
        this.fields = fields;
        this.others = others;
        var names = new string[fields.Length];
        for (int i = 0; i < fields.Length; i++) names[i] = fields[i].Name;
        Names = names;
    }

    /// <summary>The JSON names of the fields, in the order they are written.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Reads an object (or <c>null</c>) starting from <paramref name="initial"/>; the reader is at the value and ends at its last token.</summary>
    /// <exception cref="JsonException">Not an object, an unknown or repeated field, or a field's value of the wrong kind (with its path).</exception>
    public T? ReadValue(ref Utf8JsonReader reader, T initial)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"{what} must be a JSON object, got {JsonValues.Describe(ref reader)}");
        T record = initial;
        ulong seen = 0;
        Dictionary<string, JsonElement>? other = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            int index = IndexOf(name);
            try
            {
                reader.Read();
                if (index >= 0)
                {
                    if ((seen & (1UL << index)) != 0) throw Repeated();
                    seen |= 1UL << index;
                    record = fields[index].Read(record, ref reader);
                }
                else if (others is not null)
                {
                    other ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    if (!other.TryAdd(name, JsonElement.ParseValue(ref reader))) throw Repeated();
                }
                else
                {
                    throw new JsonException($"unknown field; {what} has the fields {string.Join(", ", Names)}");
                }
            }
            catch (JsonException e)
            {
                throw JsonFieldTable.At(name, e);
            }
        }
        return other is null ? record : others!.With(record, other);
    }

    /// <summary>Writes <paramref name="value"/> as an object.</summary>
    public void Write(Utf8JsonWriter writer, T value)
    {
        writer.WriteStartObject();
        foreach (JsonField<T> field in fields) field.Write(writer, value);
        if (others?.Get(value) is { } other)
        {
            foreach (var (name, element) in other)
            {
                writer.WritePropertyName(name);
                element.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>The field named <paramref name="name"/> (exact case), or null.</summary>
    public JsonField<T>? Find(string name) => IndexOf(name) is int i and >= 0 ? fields[i] : null;

    private int IndexOf(string name)
    {
        for (int i = 0; i < fields.Length; i++)
            if (string.Equals(fields[i].Name, name, StringComparison.Ordinal)) return i;
        return -1;
    }

    // A field given twice is a mistake, not "last one wins".
    private static JsonException Repeated() => new("the field is given twice; give each field once");
}
