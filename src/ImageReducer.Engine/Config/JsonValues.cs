using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ImageReducer.Engine.Config;

/// <summary>
/// The configuration's JSON values read and written by hand (<see cref="Utf8JsonReader"/>, <see cref="Utf8JsonWriter"/>),
/// with the rules <see cref="ConfigJson.Options"/> gives System.Text.Json: numbers are doubles, and the named literals
/// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> (as strings, exact case) are numbers too.
/// </summary>
/// <remarks>
/// A value of the wrong kind throws a <see cref="JsonException"/> without a path; the field table that called
/// (<see cref="JsonFieldTable{T}"/>) adds the field's path, so the message says what was expected and the path says where.
/// </remarks>
internal static class JsonValues
{
    /// <summary>A number, or one of the named literals as a string.</summary>
    public static double ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetDouble(out double value)) return value;
            throw new JsonException($"{Describe(ref reader)} is out of the range of a number (a double)");
        }
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("NaN"u8)) return double.NaN;
            if (reader.ValueTextEquals("Infinity"u8)) return double.PositiveInfinity;
            if (reader.ValueTextEquals("-Infinity"u8)) return double.NegativeInfinity;
        }
        throw new JsonException($"expected a number, got {Describe(ref reader)}");
    }

    /// <summary>A number; the non-finite ones as their named literals (as System.Text.Json writes them).</summary>
    public static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    /// <summary>An integer in the range of <see cref="int"/>.</summary>
    public static int ReadInteger(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value)) return value;
        throw new JsonException($"expected an integer, got {Describe(ref reader)}");
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static bool ReadBool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new JsonException($"expected true or false, got {Describe(ref reader)}"),
    };

    /// <summary>A string or <c>null</c>.</summary>
    public static string? ReadString(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"expected a string, got {Describe(ref reader)}"),
    };

    /// <summary>An array of numbers, or <c>null</c>; an element's error carries its index as its path (<c>[2]</c>).</summary>
    public static double[]? ReadNumbers(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        ExpectArray(ref reader, "numbers");
        // Plain arrays, grown by hand: List<double> is not in any ReadyToRun image and would be compiled at start-up.
        double[] values = new double[8];
        int count = 0;
        while (ReadElement(ref reader))
        {
            if (count == values.Length) values = Grow(values);
            try
            {
                values[count] = ReadNumber(ref reader);
            }
            catch (JsonException e) when (e.Path is null)
            {
                throw JsonFieldTable.At($"[{count}]", e);
            }
            count++;
        }
        return Trim(values, count);
    }

    /// <summary>An array of strings (each may be <c>null</c>), or <c>null</c>.</summary>
    public static string?[]? ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        ExpectArray(ref reader, "strings");
        string?[] values = new string?[8];
        int count = 0;
        while (ReadElement(ref reader))
        {
            if (count == values.Length) values = Grow(values);
            try
            {
                values[count] = ReadString(ref reader);
            }
            catch (JsonException e) when (e.Path is null)
            {
                throw JsonFieldTable.At($"[{count}]", e);
            }
            count++;
        }
        return Trim(values, count);
    }

    /// <summary>Writes an array of numbers.</summary>
    public static void WriteNumbers(Utf8JsonWriter writer, IReadOnlyList<double> values)
    {
        writer.WriteStartArray();
        for (int i = 0; i < values.Count; i++) WriteNumber(writer, values[i]);
        writer.WriteEndArray();
    }

    /// <summary>Writes an array of strings (a null element as <c>null</c>).</summary>
    public static void WriteStrings(Utf8JsonWriter writer, IReadOnlyList<string?> values)
    {
        writer.WriteStartArray();
        for (int i = 0; i < values.Count; i++) writer.WriteStringValue(values[i]);
        writer.WriteEndArray();
    }

    /// <summary>The value at the reader, in words for an error message: <c>"abc"</c>, <c>12.5</c>, <c>null</c>, <c>an object</c>.</summary>
    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"\"{Shorten(reader.GetString() ?? "")}\"",
        JsonTokenType.Number => Shorten(Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan)),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        var other => other.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static void ExpectArray(ref Utf8JsonReader reader, string items)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException($"expected an array of {items} or null, got {Describe(ref reader)}");
    }

    private static double[] Grow(double[] values) => Trim(values, values.Length, values.Length * 2);

    private static string?[] Grow(string?[] values) => Trim(values, values.Length, values.Length * 2);

    private static double[] Trim(double[] values, int count, int length = -1)
    {
        var result = new double[length < 0 ? count : length];
        for (int i = 0; i < count; i++) result[i] = values[i];
        return result;
    }

    private static string?[] Trim(string?[] values, int count, int length = -1)
    {
        var result = new string?[length < 0 ? count : length];
        for (int i = 0; i < count; i++) result[i] = values[i];
        return result;
    }

    /// <summary>Moves to the next element of an array; false at its end.</summary>
    private static bool ReadElement(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType != JsonTokenType.EndArray;
    }
}
