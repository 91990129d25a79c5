using System.Text.Json;

namespace ImageReducer.Engine.Config;

/// <summary>Reads a JSON value (the reader is at it; never at <c>null</c>, which the field handles).</summary>
internal delegate TValue JsonValueRead<TValue>(ref Utf8JsonReader reader);

/// <summary>
/// Builds the <see cref="JsonField{T}"/> of each kind of property: the JSON name is always the camelCase of the
/// property's name (<see cref="ConfigJson.FieldName"/>, given <c>nameof</c> the property), so names have one source.
/// </summary>
internal static class JsonFields
{
    /// <summary>A <see cref="double"/> (named literals allowed, as <see cref="JsonValues.ReadNumber"/>).</summary>
    public static JsonField<T> Number<T>(string property, Func<T, double> get, Func<T, double, T> with) where T : class
    {
        string name = ConfigJson.FieldName(property);
        return new(name, (T record, ref Utf8JsonReader reader) => with(record, JsonValues.ReadNumber(ref reader)),
            (writer, record) =>
            {
                writer.WritePropertyName(name);
                JsonValues.WriteNumber(writer, get(record));
            });
    }

    /// <summary>A <see cref="double"/> or null (named literals allowed).</summary>
    public static JsonField<T> OptionalNumber<T>(string property, Func<T, double?> get, Func<T, double?, T> with) where T : class
    {
        string name = ConfigJson.FieldName(property);
        return new(name,
            (T record, ref Utf8JsonReader reader) => with(record, reader.TokenType == JsonTokenType.Null ? null : JsonValues.ReadNumber(ref reader)),
            (writer, record) =>
            {
                if (get(record) is not double value) return;
                writer.WritePropertyName(name);
                JsonValues.WriteNumber(writer, value);
            });
    }

    /// <summary>An <see cref="int"/>: a JSON integer in its range.</summary>
    public static JsonField<T> Integer<T>(string property, Func<T, int> get, Func<T, int, T> with) where T : class
    {
        string name = ConfigJson.FieldName(property);
        return new(name, (T record, ref Utf8JsonReader reader) => with(record, JsonValues.ReadInteger(ref reader)),
            (writer, record) => writer.WriteNumber(name, get(record)));
    }

    /// <summary>A <see cref="bool"/>.</summary>
    public static JsonField<T> Bool<T>(string property, Func<T, bool> get, Func<T, bool, T> with) where T : class
    {
        string name = ConfigJson.FieldName(property);
        return new(name, (T record, ref Utf8JsonReader reader) => with(record, JsonValues.ReadBool(ref reader)),
            (writer, record) => writer.WriteBoolean(name, get(record)));
    }

    /// <summary>An enum, as its exact camelCase word (<see cref="EnumWords{TEnum}"/>).</summary>
    public static JsonField<T> Choice<T, TEnum>(string property, Func<T, TEnum> get, Func<T, TEnum, T> with)
        where T : class where TEnum : struct, Enum
    {
        string name = ConfigJson.FieldName(property);
        return new(name, (T record, ref Utf8JsonReader reader) => with(record, EnumWords<TEnum>.Read(ref reader)),
            (writer, record) =>
            {
                writer.WritePropertyName(name);
                EnumWords<TEnum>.Write(writer, get(record));
            });
    }

    /// <summary>A reference-typed value: JSON <c>null</c> sets null (validation decides whether that is allowed); a null value is not written.</summary>
    public static JsonField<T> Value<T, TValue>(string property, Func<T, TValue?> get, Func<T, TValue?, T> with,
        JsonValueRead<TValue> read, Action<Utf8JsonWriter, TValue> write) where T : class where TValue : class
    {
        string name = ConfigJson.FieldName(property);
        return new(name,
            (T record, ref Utf8JsonReader reader) => with(record, reader.TokenType == JsonTokenType.Null ? null : read(ref reader)),
            (writer, record) =>
            {
                if (get(record) is not { } value) return;
                writer.WritePropertyName(name);
                write(writer, value);
            });
    }

    /// <summary>A list of numbers (named literals allowed), or null.</summary>
    public static JsonField<T> Numbers<T>(string property, Func<T, IReadOnlyList<double>?> get, Func<T, IReadOnlyList<double>?, T> with)
        where T : class =>
        Value(property, get, with, (ref Utf8JsonReader reader) => (IReadOnlyList<double>)JsonValues.ReadNumbers(ref reader)!, JsonValues.WriteNumbers);

    /// <summary>A list of strings (elements may be null), or null unless <paramref name="acceptsNull"/> is false (then null is an error of the reader).</summary>
    public static JsonField<T> Strings<T>(string property, Func<T, IReadOnlyList<string>?> get, Func<T, IReadOnlyList<string>?, T> with, bool acceptsNull = true)
        where T : class
    {
        JsonField<T> field = Value(property, get, with, (ref Utf8JsonReader reader) => (IReadOnlyList<string>)JsonValues.ReadStrings(ref reader)!, JsonValues.WriteStrings);
        if (acceptsNull) return field;
        return new(field.Name, (T record, ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null
            ? throw new JsonException("expected an array of strings, got null") : field.Read(record, ref reader), field.Write);
    }

    /// <summary>A string, or null.</summary>
    public static JsonField<T> String<T>(string property, Func<T, string?> get, Func<T, string?, T> with) where T : class =>
        Value(property, get, with, (ref Utf8JsonReader reader) => JsonValues.ReadString(ref reader)!, (writer, value) => writer.WriteStringValue(value));

    /// <summary>A nested object read by its own table, starting from <paramref name="initial"/> (its defaults), or null.</summary>
    public static JsonField<T> Object<T, TChild>(string property, Func<T, TChild?> get, Func<T, TChild?, T> with,
        JsonFieldTable<TChild> table, Func<TChild> initial) where T : class where TChild : class =>
        Value(property, get, with, (ref Utf8JsonReader reader) => table.ReadValue(ref reader, initial())!, table.Write);
}
