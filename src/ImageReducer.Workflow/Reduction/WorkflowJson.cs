using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The JSON conventions of the workflow's documents (plans, side results, metadata, night reports,
/// results lists): camelCase, indented, boxes as <c>[minX, minY, maxX, maxY]</c>, enums as words,
/// files ending with a newline — the same conventions as the CLI's documents, so a results list
/// written here is byte-identical to the one <c>imred run</c> writes.
/// </summary>
public static class WorkflowJson
{
    /// <summary>The options every workflow document is (de)serialised with.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    /// <summary>The same conventions without indentation, for machine-only intermediates (tile side results).</summary>
    public static JsonSerializerOptions CompactOptions { get; } = Create(indented: false);

    /// <summary>UTF-8 JSON of <paramref name="value"/> followed by a newline.</summary>
    public static byte[] SerializeToUtf8<T>(T value)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, Options);
        byte[] withNewline = new byte[json.Length + 1];
        json.CopyTo(withNewline, 0);
        withNewline[^1] = (byte)'\n';
        return withNewline;
    }

    /// <summary>Parses a document written by <see cref="SerializeToUtf8{T}"/>.</summary>
    /// <exception cref="JsonException">Not a valid document of that type.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new JsonException($"The document is null, expected a {typeof(T).Name}.");

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new Engine.Imaging.BoxJsonConverter());
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
