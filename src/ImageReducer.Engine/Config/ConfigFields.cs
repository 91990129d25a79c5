using System.Text.Json;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Config;

/// <summary>
/// The configuration's JSON form, the one definition of it: a field table per record, in the properties' declaration
/// order (the order System.Text.Json's reflection wrote them in, so serialised configurations are byte-identical to
/// those stored before), each field named by <c>nameof</c> its property.
/// </summary>
/// <remarks>
/// Read and written by <see cref="ConfigJson"/> directly and, for documents that embed a configuration, by the converters
/// registered in <see cref="ConfigJson.Options"/>. A property added to a record needs its line here; the engine's tests
/// fail until it has one.
/// </remarks>
internal static class ConfigFields
{
    /// <summary><see cref="ReducerConfig"/>: <c>{"reduceOperation": "average", "badMaskPlanes": [...]}</c>.</summary>
    public static readonly JsonFieldTable<ReducerConfig> Reducer = new("reducer",
    [
        JsonFields.Value<ReducerConfig, ReduceOperation>(nameof(ReducerConfig.ReduceOperation),
            r => r.ReduceOperation, (r, v) => r with { ReduceOperation = v! }, ReduceOperationJsonConverter.ReadWord, ReduceOperationJsonConverter.WriteWord),
        JsonFields.Strings<ReducerConfig>(nameof(ReducerConfig.BadMaskPlanes), r => r.BadMaskPlanes, (r, v) => r with { BadMaskPlanes = v! }),
    ]);

    /// <summary><see cref="MapperConfig"/>: one flat object, <c>name</c> and the mapper's options as the other fields.</summary>
    public static readonly JsonFieldTable<MapperConfig> Mapper = new("mapper",
        [JsonFields.String<MapperConfig>(nameof(MapperConfig.Name), m => m.Name, (m, v) => m with { Name = v! })],
        new JsonOtherFields<MapperConfig>(m => m.Options, (m, options) => m with { Options = options }));

    /// <summary><see cref="MapReduceConfig"/>, the whole configuration.</summary>
    public static readonly JsonFieldTable<MapReduceConfig> Config = new("the configuration",
    [
        JsonFields.Numbers<MapReduceConfig>(nameof(MapReduceConfig.CellCentroidsX), c => c.CellCentroidsX, (c, v) => c with { CellCentroidsX = v }),
        JsonFields.Numbers<MapReduceConfig>(nameof(MapReduceConfig.CellCentroidsY), c => c.CellCentroidsY, (c, v) => c with { CellCentroidsY = v }),
        JsonFields.Number<MapReduceConfig>(nameof(MapReduceConfig.CellSizeX), c => c.CellSizeX, (c, v) => c with { CellSizeX = v }),
        JsonFields.Number<MapReduceConfig>(nameof(MapReduceConfig.CellSizeY), c => c.CellSizeY, (c, v) => c with { CellSizeY = v }),
        JsonFields.Number<MapReduceConfig>(nameof(MapReduceConfig.GridStepX), c => c.GridStepX, (c, v) => c with { GridStepX = v }),
        JsonFields.Number<MapReduceConfig>(nameof(MapReduceConfig.GridStepY), c => c.GridStepY, (c, v) => c with { GridStepY = v }),
        JsonFields.Number<MapReduceConfig>(nameof(MapReduceConfig.BorderSizeX), c => c.BorderSizeX, (c, v) => c with { BorderSizeX = v }),
        JsonFields.Number<MapReduceConfig>(nameof(MapReduceConfig.BorderSizeY), c => c.BorderSizeY, (c, v) => c with { BorderSizeY = v }),
        JsonFields.Choice<MapReduceConfig, AdjustGridOption>(nameof(MapReduceConfig.AdjustGridOption), c => c.AdjustGridOption, (c, v) => c with { AdjustGridOption = v }),
        JsonFields.Bool<MapReduceConfig>(nameof(MapReduceConfig.ScaleByFwhm), c => c.ScaleByFwhm, (c, v) => c with { ScaleByFwhm = v }),
        JsonFields.Bool<MapReduceConfig>(nameof(MapReduceConfig.ReturnSubImages), c => c.ReturnSubImages, (c, v) => c with { ReturnSubImages = v }),
        JsonFields.Bool<MapReduceConfig>(nameof(MapReduceConfig.ForceEvenSized), c => c.ForceEvenSized, (c, v) => c with { ForceEvenSized = v }),
        JsonFields.Object<MapReduceConfig, MapperConfig>(nameof(MapReduceConfig.Mapper), c => c.Mapper, (c, v) => c with { Mapper = v! }, Mapper, () => new MapperConfig()),
        JsonFields.Object<MapReduceConfig, ReducerConfig>(nameof(MapReduceConfig.Reducer), c => c.Reducer, (c, v) => c with { Reducer = v! }, Reducer, () => new ReducerConfig()),
    ]);

    /// <summary>Reads a whole configuration document (one JSON value; comments and trailing commas allowed).</summary>
    /// <returns>The configuration, or null for the JSON <c>null</c>.</returns>
    /// <exception cref="JsonException">Malformed JSON, not an object, or a field in error (its path in <see cref="JsonException.Path"/>).</exception>
    public static MapReduceConfig? ReadDocument(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read();
        MapReduceConfig? config = Config.ReadValue(ref reader, new MapReduceConfig());
        reader.Read(); // anything but comments after the value is an error of the reader's
        return config;
    }

    /// <summary>Writes a configuration document as <see cref="ConfigJson.Options"/> does: indented, nulls omitted.</summary>
    public static string WriteDocument(MapReduceConfig config)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            Config.Write(writer, config);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
