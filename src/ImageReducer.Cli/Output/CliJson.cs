using System.Reflection;
using System.Runtime.CompilerServices;
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
        // The local commands' documents have contracts generated at build time (precompiled with the rest of imred, and
        // all the native build can serialise). The managed build also describes the rest by reflection: per-cell results
        // (a mapper's value can be any object), the deployed app's run documents and the tiled run's summary, which the
        // native build hands to it (ManagedRuntime). The same options and converters apply to both.
        o.TypeInfoResolver = RuntimeFeature.IsDynamicCodeSupported
            ? JsonTypeInfoResolver.Combine(CliJsonContext.Default, new DefaultJsonTypeInfoResolver())
            : CliJsonContext.Default;
        o.MakeReadOnly();
        return o;
    }
}

/// <summary>
/// Build-time JSON contracts for the documents of the local commands: the run metadata (also printed by <c>run --json</c>),
/// <c>inspect</c>, <c>grid</c> and <c>psf</c> with <c>--json</c>. Built by reflection, the run metadata's first serialisation
/// cost a fresh process ~130 JIT-compiled methods on the serial tail of the run; and the native build has no reflection-built
/// contracts at all.
/// </summary>
/// <remarks>Serialisation only: nothing deserialises these records (the workflow reads metadata as its own records).</remarks>
[JsonSerializable(typeof(RunMetadata))]
[JsonSerializable(typeof(Inspection.InspectReport))]
[JsonSerializable(typeof(GridDocument))]
[JsonSerializable(typeof(PsfPointsDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
