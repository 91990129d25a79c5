using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Config;

/// <summary>The JSON form of the configuration: camelCase names identical to the reference's, enums as camelCase strings.</summary>
/// <remarks>
/// The form is defined once, by field tables (<see cref="ConfigFields"/>) read and written by hand: no reflection, so a fresh
/// process spends no time building System.Text.Json contracts for it. Source-generated serialisation is not an option: it
/// refuses <c>[JsonExtensionData]</c> beside <c>init</c> properties and loses the <c>init</c> defaults of absent properties.
/// </remarks>
public static class ConfigJson
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Options for documents that embed a configuration (plans, API bodies, metadata): the configuration's records are
    /// (de)serialised by their field tables; other types by reflection, with the same conventions (camelCase, nulls
    /// omitted, enums as exact words, unknown or repeated fields are errors).
    /// </summary>
    public static JsonSerializerOptions Options => OptionsHolder.Value;

    // Built on first use, not with this class: a run that only parses its configuration never needs the serializer.
    private static class OptionsHolder
    {
        public static readonly JsonSerializerOptions Value = Create();
    }

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            // A field given twice is a mistake, not "last one wins".
            AllowDuplicateProperties = false,
            WriteIndented = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        o.Converters.Add(new MapReduceConfigConverter());
        o.Converters.Add(new FieldTableConverter<ReducerConfig>(ConfigFields.Reducer, () => new ReducerConfig()));
        o.Converters.Add(new FieldTableConverter<MapperConfig>(ConfigFields.Mapper, () => new MapperConfig()));
        o.Converters.Add(new ExactEnumConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>The JSON name of an enum member (<c>CoaddPsf</c> → <c>coaddPsf</c>).</summary>
    public static string EnumName(string member) => JsonNamingPolicy.CamelCase.ConvertName(member);

    /// <summary>The JSON name of a configuration property (<c>CellSizeX</c> → <c>cellSizeX</c>): the one rule for field names.</summary>
    public static string FieldName(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);

    /// <summary>The fields of the configuration object, in the order they are written (<c>cellCentroidsX</c> … <c>reducer</c>).</summary>
    public static IReadOnlyList<string> FieldNames => ConfigFields.Config.Names;

    /// <summary>The fields of the <c>reducer</c> object.</summary>
    public static IReadOnlyList<string> ReducerFieldNames => ConfigFields.Reducer.Names;

    /// <summary>The named fields of the <c>mapper</c> object (<c>name</c>); its other fields are the mapper's options.</summary>
    public static IReadOnlyList<string> MapperFieldNames => ConfigFields.Mapper.Names;

    /// <summary>Serialises a configuration: indented, nulls omitted, fields in declaration order.</summary>
    public static string Serialize(MapReduceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ConfigFields.WriteDocument(config);
    }

    private static long parses;

    /// <summary>
    /// How many configurations this process has parsed from text (<see cref="Deserialize"/>, the one parse entry point). A run
    /// parses its configuration once, at its edge (the command line, the HTTP body, the trigger's settings), and carries it
    /// typed from there; tests read this to hold that line.
    /// </summary>
    public static long Parses => Interlocked.Read(ref parses);

    /// <summary>Parses and validates a configuration: the one place a configuration is read from text.</summary>
    /// <exception cref="ConfigValidationException">The JSON is malformed, has an unknown field or an invalid value.</exception>
    public static MapReduceConfig Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Interlocked.Increment(ref parses);
        MapReduceConfig? config;
        try
        {
            config = ConfigFields.ReadDocument(StrictUtf8.GetBytes(json));
        }
        catch (EncoderFallbackException)
        {
            throw new ConfigValidationException("(root)", "invalid configuration: the text is not valid UTF-16 (a lone surrogate)");
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) ? "(root)" : e.Path.TrimStart('$', '.');
            throw new ConfigValidationException(field, $"invalid configuration at '{field}': {e.Message}");
        }
        return (config ?? throw new ConfigValidationException("(root)", "the configuration must be a JSON object")).Validate();
    }
}
