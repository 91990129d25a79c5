using System.Text.Json;
using System.Text.Json.Serialization;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Tests.Config;

/// <summary>
/// The configuration's hand-written JSON form (<see cref="ConfigFields"/>) against System.Text.Json's reflection
/// serializer with the options the configuration used before: the same bytes written, the same values read, every
/// field in the table, and every error naming its field.
/// </summary>
public sealed class ConfigJsonFormTests
{
    /// <summary>The options <see cref="ConfigJson.Options"/> had before the field tables: reflection over the records.</summary>
    private static readonly JsonSerializerOptions Reflection = CreateReflectionOptions();

    private static JsonSerializerOptions CreateReflectionOptions()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
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

    private static Dictionary<string, JsonElement> Options(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    /// <summary>Every field set to a value that is not its default, mapper options of every JSON kind, in a non-sorted order.</summary>
    private static MapReduceConfig EveryFieldSet() => new()
    {
        CellCentroidsX = [10.5, 20, -3, 1e-7, 123456789.125],
        CellCentroidsY = [1, 2.25, 3, 0, -0.5],
        CellSizeX = 7,
        CellSizeY = 8.5,
        GridStepX = 3.5,
        GridStepY = 4,
        BorderSizeX = 2,
        BorderSizeY = 1.5,
        AdjustGridOption = AdjustGridOption.Size,
        ScaleByFwhm = false,
        ReturnSubImages = true,
        ForceEvenSized = true,
        Mapper = new MapperConfig
        {
            Name = "background",
            Options = Options("""{"zeta": 1, "order": 1, "statistic": "clippedMean", "ignoredMaskPlanes": ["SAT", "EDGE"], "nested": {"a": [1, {"b": null}]}, "flag": true, "none": null, "text": "é \"quoted\" <tag>"}"""),
        },
        Reducer = new ReducerConfig { ReduceOperation = ReduceOperation.CoaddPsf, BadMaskPlanes = ["BAD", "NO_DATA", "CR"] },
    };

    public static TheoryData<string> Configs() => new()
    {
        "default",
        "every field set",
        "no centroids, no mapper options",
        "non-finite numbers",
        "nulls",
    };

    private static MapReduceConfig Named(string name) => name switch
    {
        "default" => new MapReduceConfig(),
        "every field set" => EveryFieldSet(),
        "no centroids, no mapper options" => EveryFieldSet() with { CellCentroidsX = null, CellCentroidsY = null, Mapper = new MapperConfig { Name = "add" } },
        "non-finite numbers" => new MapReduceConfig { CellCentroidsX = [double.NaN, double.PositiveInfinity], CellCentroidsY = [double.NegativeInfinity, 0], CellSizeX = double.NaN },
        "nulls" => new MapReduceConfig { Mapper = null!, Reducer = new ReducerConfig { ReduceOperation = null!, BadMaskPlanes = null! } },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Serialize_IsByteIdenticalToTheReflectionSerializer(string name)
    {
        MapReduceConfig config = Named(name);
        Assert.Equal(JsonSerializer.Serialize(config, Reflection), ConfigJson.Serialize(config));
        // The registered converters give documents that embed a configuration the same form.
        Assert.Equal(JsonSerializer.Serialize(config, Reflection), JsonSerializer.Serialize(config, ConfigJson.Options));
        Assert.Equal(JsonSerializer.Serialize(config.Reducer, Reflection), JsonSerializer.Serialize(config.Reducer, ConfigJson.Options));
        Assert.Equal(JsonSerializer.Serialize(config.Mapper, Reflection), JsonSerializer.Serialize(config.Mapper, ConfigJson.Options));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Read_GivesWhatTheReflectionSerializerGives(string name)
    {
        string json = JsonSerializer.Serialize(Named(name), Reflection);
        MapReduceConfig expected = JsonSerializer.Deserialize<MapReduceConfig>(json, Reflection)!;
        MapReduceConfig actual = JsonSerializer.Deserialize<MapReduceConfig>(json, ConfigJson.Options)!;
        Assert.Equal(expected, actual);
        Assert.Equal(expected.CellSizeX, actual.CellSizeX); // NaN: record equality compares with Equals, which holds for NaN
        Assert.Equal(JsonSerializer.Serialize(expected, Reflection), ConfigJson.Serialize(actual));
    }

    [Fact]
    public void Deserialize_EveryFieldSet_RoundTripsByteIdentical()
    {
        string json = ConfigJson.Serialize(EveryFieldSet());
        MapReduceConfig back = ConfigJson.Deserialize(json);
        Assert.Equal(EveryFieldSet(), back);
        Assert.Equal(json, ConfigJson.Serialize(back));
        Assert.Equal(["zeta", "order", "statistic", "ignoredMaskPlanes", "nested", "flag", "none", "text"], back.Mapper.Options.Keys);
    }

    [Fact]
    public void FieldTables_NameEveryPropertyTheReflectionContractHas_InItsOrder()
    {
        // A property added to a record without its line in ConfigFields fails here.
        Assert.Equal(PropertyNames<MapReduceConfig>(), ConfigJson.FieldNames);
        Assert.Equal(PropertyNames<ReducerConfig>(), ConfigJson.ReducerFieldNames);
        Assert.Equal(PropertyNames<MapperConfig>(), ConfigJson.MapperFieldNames);
    }

    private static string[] PropertyNames<T>() =>
        Reflection.GetTypeInfo(typeof(T)).Properties.Where(p => !p.IsExtensionData && p.Get is not null).Select(p => p.Name).ToArray();

    [Fact]
    public void Deserialize_AbsentFields_KeepTheRecordsDefaults()
    {
        MapReduceConfig c = ConfigJson.Deserialize("""{"mapper": {"addAmount": 2}, "reducer": {"badMaskPlanes": ["X"]}}""");
        Assert.Equal(new MapperConfig().Name, c.Mapper.Name);
        Assert.Equal(new ReducerConfig().ReduceOperation, c.Reducer.ReduceOperation);
        Assert.Equal(new MapReduceConfig() with { Mapper = c.Mapper, Reducer = c.Reducer }, c);
    }

    [Fact]
    public void Deserialize_CommentsAndTrailingCommas_AreAllowed()
    {
        MapReduceConfig c = ConfigJson.Deserialize("""
            // a run's configuration
            {
              "cellSizeX": 20, /* pixels */
              "cellCentroidsX": [1, 2,], "cellCentroidsY": [3, 4,],
              "mapper": { "name": "add", "addAmount": 5, },
              "reducer": { "badMaskPlanes": ["BAD",], },
            }
            // the end
            """);
        Assert.Equal(20, c.CellSizeX);
        Assert.Equal([1.0, 2.0], c.CellCentroidsX!);
        Assert.Equal(5, c.Mapper.Options["addAmount"].GetInt32());
        Assert.Equal(["BAD"], c.Reducer.BadMaskPlanes);
    }

    [Theory]
    [InlineData("cellCentroidsX", "{}", "cellCentroidsX")]
    [InlineData("cellCentroidsY", "3", "cellCentroidsY")]
    [InlineData("cellSizeX", "\"7\"", "cellSizeX")]
    [InlineData("cellSizeY", "true", "cellSizeY")]
    [InlineData("gridStepX", "null", "gridStepX")]
    [InlineData("gridStepY", "[1]", "gridStepY")]
    [InlineData("borderSizeX", "\"nan\"", "borderSizeX")]
    [InlineData("borderSizeY", "{}", "borderSizeY")]
    [InlineData("adjustGridOption", "0", "adjustGridOption")]
    [InlineData("scaleByFwhm", "1", "scaleByFwhm")]
    [InlineData("returnSubImages", "\"true\"", "returnSubImages")]
    [InlineData("forceEvenSized", "null", "forceEvenSized")]
    [InlineData("mapper", "\"add\"", "mapper")]
    [InlineData("reducer", "[]", "reducer")]
    public void Deserialize_WrongKindOfValue_NamesTheField(string field, string value, string path)
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize($$"""{"{{field}}": {{value}}}"""));
        Assert.Equal(path, e.Field);
        Assert.StartsWith($"invalid configuration at '{path}': ", e.Message);
    }

    [Theory]
    [InlineData("""{"reducer": {"reduceOperation": {}}}""", "reducer.reduceOperation")]
    [InlineData("""{"reducer": {"badMaskPlanes": "BAD"}}""", "reducer.badMaskPlanes")]
    [InlineData("""{"reducer": {"badMaskPlanes": ["BAD", 3]}}""", "reducer.badMaskPlanes[1]")]
    [InlineData("""{"mapper": {"name": 3}}""", "mapper.name")]
    [InlineData("""{"cellCentroidsX": [1, 2, "x"], "cellCentroidsY": [1, 2, 3]}""", "cellCentroidsX[2]")]
    [InlineData("""{"cellCentroidsY": [null]}""", "cellCentroidsY[0]")]
    [InlineData("""{"mapper": {"name": "add", "addAmount": 1, "addAmount": 2}}""", "mapper.addAmount")]
    [InlineData("""{"mapper": {"name": "add", "name": "add"}}""", "mapper.name")]
    [InlineData("""{"reducer": {"reduceOperation": "sum", "reduceOperation": "sum"}}""", "reducer.reduceOperation")]
    [InlineData("""{"reducer": {"badMaskPlanes": [], "planes": []}}""", "reducer.planes")]
    [InlineData("""{"cellSizeX": 3, "cellSizeX": 3}""", "cellSizeX")]
    [InlineData("""{"cellSizeX": 3 "cellSizeY": 3}""", "(root)")]
    [InlineData("""{"cellSizeX": tru}""", "cellSizeX")]
    [InlineData("""{"cellSizeX": 3} {}""", "(root)")]
    [InlineData("", "(root)")]
    [InlineData("[1]", "(root)")]
    public void Deserialize_FieldInError_NamesItsPath(string json, string path)
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize(json));
        Assert.Equal(path, e.Field);
    }

    [Fact]
    public void Deserialize_RepeatedField_SaysSo()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("""{"reducer": {"badMaskPlanes": [], "badMaskPlanes": []}}"""));
        Assert.Equal("invalid configuration at 'reducer.badMaskPlanes': the field is given twice; give each field once", e.Message);
    }

    [Fact]
    public void Deserialize_UnknownField_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("""{"reducer": {"operation": "sum"}}"""));
        Assert.Equal("reducer.operation", e.Field);
        Assert.Contains("reduceOperation, badMaskPlanes", e.Message);
    }

    [Theory]
    [InlineData("\"NaN\"", double.NaN)]
    [InlineData("\"Infinity\"", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", double.NegativeInfinity)]
    [InlineData("\"\\u004eaN\"", double.NaN)] // escaped, as System.Text.Json reads it
    public void Read_NamedFloatLiterals_AreNumbers(string literal, double value)
    {
        // Parsed as numbers (then refused by validation, which names the element), as System.Text.Json's named literals.
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize($$"""{"cellCentroidsX": [1, {{literal}}], "cellCentroidsY": [1, 2]}"""));
        Assert.Equal("cellCentroidsX[1]", e.Field);
        var read = JsonSerializer.Deserialize<MapReduceConfig>($$"""{"cellCentroidsX": [{{literal}}]}""", ConfigJson.Options)!;
        Assert.Equal(value, read.CellCentroidsX![0]);
    }

    [Theory]
    [InlineData("\"nan\"")]
    [InlineData("\"inf\"")]
    [InlineData("\"3\"")]
    public void Read_OtherStringsForNumbers_AreErrors(string literal)
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize($$"""{"gridStepX": {{literal}}}"""));
        Assert.Equal("gridStepX", e.Field);
        Assert.Contains($"expected a number, got {literal}", e.Message);
    }

    private sealed record Document(int Version, [property: JsonConverter(typeof(MapReduceConfigConverter))] MapReduceConfig Config);

    [Fact]
    public void EmbeddedInADocument_RoundTrips_AndAFieldInErrorIsNamedWithTheDocumentsPath()
    {
        var doc = new Document(3, EveryFieldSet());
        string json = JsonSerializer.Serialize(doc);
        Assert.Equal(doc.Config, JsonSerializer.Deserialize<Document>(json)!.Config);

        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Document>("""{"Version": 1, "Config": {"reducer": {"reduceOperation": "median"}}}"""));
        Assert.Equal("$.Config", e.Path);
        Assert.Contains("at 'reducer.reduceOperation': \"median\" is not allowed", e.Message);
        Assert.Null(JsonSerializer.Deserialize<Document>("""{"Version": 1, "Config": null}""")!.Config);
    }
}
