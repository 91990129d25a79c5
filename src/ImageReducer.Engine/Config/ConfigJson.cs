using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Config;

/// <summary>The JSON form of the configuration: camelCase names identical to the reference's, enums as camelCase strings.</summary>
public static class ConfigJson
{
    /// <summary>Options used for every config (de)serialisation; unknown or repeated fields are errors.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

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
        o.Converters.Add(new ExactEnumConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>The JSON name of an enum member (<c>CoaddPsf</c> → <c>coaddPsf</c>).</summary>
    public static string EnumName(string member) => JsonNamingPolicy.CamelCase.ConvertName(member);

    /// <summary>Serialises a configuration.</summary>
    public static string Serialize(MapReduceConfig config) => JsonSerializer.Serialize(config, Options);

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
        Interlocked.Increment(ref parses);
        MapReduceConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<MapReduceConfig>(json, Options);
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) ? "(root)" : e.Path.TrimStart('$', '.');
            throw new ConfigValidationException(field, $"invalid configuration at '{field}': {e.Message}");
        }
        return (config ?? throw new ConfigValidationException("(root)", "the configuration must be a JSON object")).Validate();
    }
}
