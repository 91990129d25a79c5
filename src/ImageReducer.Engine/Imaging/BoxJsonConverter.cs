using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Imaging;

/// <summary>Writes a <see cref="Box"/> as <c>[minX, minY, maxX, maxY]</c> (inclusive) and reads it back.</summary>
public sealed class BoxJsonConverter : JsonConverter<Box>
{
    public override Box Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("a box must be a JSON array [minX, minY, maxX, maxY]");
        Span<int> v = stackalloc int[4];
        int n = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (n >= 4 || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out v[n]))
                throw new JsonException("a box must be four integers [minX, minY, maxX, maxY]");
            n++;
        }
        if (n != 4) throw new JsonException("a box must be four integers [minX, minY, maxX, maxY]");
        return Box.FromMinMax(v[0], v[1], v[2], v[3]);
    }

    public override void Write(Utf8JsonWriter writer, Box value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.MinX);
        writer.WriteNumberValue(value.MinY);
        writer.WriteNumberValue(value.MaxX);
        writer.WriteNumberValue(value.MaxY);
        writer.WriteEndArray();
    }
}
