using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Config;

/// <summary>
/// Enums as the reference's choice words (camelCase member names), matched exactly: the reference's
/// <c>ChoiceField</c> rejects <c>"Spacing"</c> where it allows <c>"spacing"</c>, and so does this
/// (<see cref="JsonStringEnumConverter"/> would accept any case and integers). The words are <see cref="EnumWords{TEnum}"/>'s.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => EnumWords<TEnum>.Read(ref reader);

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => EnumWords<TEnum>.Write(writer, value);
    }
}

/// <summary>The words of an enum's members in JSON (<see cref="ConfigJson.EnumName"/>), matched exactly.</summary>
/// <remarks>Arrays and the non-generic <see cref="Enum"/> methods only: generic collections over the enum would be compiled at run time.</remarks>
internal static class EnumWords<TEnum> where TEnum : struct, Enum
{
    // The non-generic overload is precompiled with the engine (the generic one, a framework generic over our enum, would be JIT-compiled
    // per enum); the native imred cannot make the array type at run time, so it takes the generic one, compiled ahead of time.
    private static readonly TEnum[] Values = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported
        ? (TEnum[])Enum.GetValues(typeof(TEnum))
        : Enum.GetValues<TEnum>();
    private static readonly string[] Words = WordsOf(Values);

    /// <summary>The words, quoted and comma-separated, for messages.</summary>
    public static string Allowed { get; } = "\"" + string.Join("\", \"", Words) + "\"";

    /// <summary>Reads the word at the reader.</summary>
    /// <exception cref="JsonException">Not a string, or not one of the words (exact case).</exception>
    public static TEnum Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
            for (int i = 0; i < Words.Length; i++)
                if (reader.ValueTextEquals(Words[i])) return Values[i];
        throw new JsonException($"{JsonValues.Describe(ref reader)} is not allowed; allowed (exact case): {Allowed}");
    }

    /// <summary>Writes the word of <paramref name="value"/>.</summary>
    /// <exception cref="JsonException"><paramref name="value"/> is no member of the enum.</exception>
    public static void Write(Utf8JsonWriter writer, TEnum value)
    {
        if (!Enum.IsDefined(typeof(TEnum), value)) throw new JsonException($"{typeof(TEnum).Name} has no value {value}");
        writer.WriteStringValue(ConfigJson.EnumName(value.ToString()));
    }

    private static string[] WordsOf(TEnum[] values)
    {
        var words = new string[values.Length];
        for (int i = 0; i < values.Length; i++) words[i] = ConfigJson.EnumName(values[i].ToString());
        return words;
    }
}
