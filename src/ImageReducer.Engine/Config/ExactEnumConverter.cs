using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Config;

/// <summary>
/// Enums as the reference's choice words (camelCase member names), matched exactly: the reference's
/// <c>ChoiceField</c> rejects <c>"Spacing"</c> where it allows <c>"spacing"</c>, and so does this
/// (<see cref="JsonStringEnumConverter"/> would accept any case and integers).
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        private static readonly Dictionary<string, TEnum> ByWord =
            Enum.GetValues<TEnum>().ToDictionary(v => ConfigJson.EnumName(v.ToString()), StringComparer.Ordinal);

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && ByWord.TryGetValue(reader.GetString()!, out TEnum value))
                return value;
            string got = reader.TokenType == JsonTokenType.String ? $"\"{reader.GetString()}\"" : reader.TokenType.ToString().ToLowerInvariant();
            throw new JsonException($"{got} is not allowed; allowed (exact case): {string.Join(", ", ByWord.Keys.Select(k => $"\"{k}\""))}");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
        {
            if (!Enum.IsDefined(value)) throw new JsonException($"{typeof(TEnum).Name} has no value {value}");
            writer.WriteStringValue(ConfigJson.EnumName(value.ToString()));
        }
    }
}
