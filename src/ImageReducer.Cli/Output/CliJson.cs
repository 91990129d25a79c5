using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Output;

/// <summary>The JSON conventions of every document the CLI prints or writes: camelCase, indented, boxes as [minX, minY, maxX, maxY].</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>The tool's version (the assembly's informational version without the source hash).</summary>
    public static string ToolVersion { get; } =
        (typeof(CliJson).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static byte[] SerializeToUtf8<T>(T value)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, Options);
        // Files end with a newline, as text files should.
        byte[] withNewline = new byte[json.Length + 1];
        json.CopyTo(withNewline, 0);
        withNewline[^1] = (byte)'\n';
        return withNewline;
    }

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new BoxJsonConverter());
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        // The run metadata's contract is generated at build time (precompiled with the rest of imred); every other
        // document is described by reflection, as before. The same options and converters apply to both.
        o.TypeInfoResolver = JsonTypeInfoResolver.Combine(CliJsonContext.Default, new DefaultJsonTypeInfoResolver());
        o.MakeReadOnly();
        return o;
    }
}

/// <summary>
/// Build-time JSON contracts for the documents a fresh <c>imred run</c> writes on its serial tail: its run metadata (also
/// printed by <c>--json</c>). Built by reflection, the first serialisation cost the process ~130 JIT-compiled methods
/// (reflection-emitted accessors, converters over our records), on the core the write's last steps also need.
/// </summary>
/// <remarks>Serialisation only: nothing deserialises these records (the workflow reads metadata as its own records).</remarks>
[JsonSerializable(typeof(RunMetadata))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
