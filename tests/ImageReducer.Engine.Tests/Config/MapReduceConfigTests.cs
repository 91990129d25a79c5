using System.Text.Json;
using System.Text.Json.Nodes;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Tests.Config;

public sealed class MapReduceConfigTests
{
    private const string FullReferenceJson = """
        {
          "cellCentroidsX": [10.5, 20, -3],
          "cellCentroidsY": [1, 2.25, 3],
          "cellSizeX": 7, "cellSizeY": 8,
          "gridStepX": 3.5, "gridStepY": 4,
          "borderSizeX": 2, "borderSizeY": 1.5,
          "adjustGridOption": "size",
          "scaleByFwhm": false,
          "returnSubImages": true,
          "reducer": { "reduceOperation": "coaddPsf", "badMaskPlanes": ["BAD", "EDGE"] },
          "mapper": { "name": "add", "addAmount": 5 }
        }
        """;

    [Fact]
    public void Deserialize_ReferenceNames_SetsEveryField()
    {
        MapReduceConfig c = ConfigJson.Deserialize(FullReferenceJson);
        Assert.Equal([10.5, 20, -3], c.CellCentroidsX!);
        Assert.Equal([1, 2.25, 3], c.CellCentroidsY!);
        Assert.Equal((7.0, 8.0, 3.5, 4.0, 2.0, 1.5), (c.CellSizeX, c.CellSizeY, c.GridStepX, c.GridStepY, c.BorderSizeX, c.BorderSizeY));
        Assert.Equal(AdjustGridOption.Size, c.AdjustGridOption);
        Assert.False(c.ScaleByFwhm);
        Assert.True(c.ReturnSubImages);
        Assert.Equal(ReduceOperation.CoaddPsf, c.Reducer.ReduceOperation);
        Assert.Equal(["BAD", "EDGE"], c.Reducer.BadMaskPlanes);
        Assert.Equal("add", c.Mapper.Name);
        Assert.Equal(5, c.Mapper.Options["addAmount"].GetInt32());
    }

    [Fact]
    public void SerializeThenDeserialize_GivesAnEqualConfig()
    {
        MapReduceConfig c = ConfigJson.Deserialize(FullReferenceJson);
        MapReduceConfig back = ConfigJson.Deserialize(ConfigJson.Serialize(c));
        Assert.Equal(c, back);
        Assert.Equal(c.GetHashCode(), back.GetHashCode());
    }

    [Fact]
    public void Serialize_UsesTheReferenceCamelCaseNames()
    {
        JsonObject o = JsonNode.Parse(ConfigJson.Serialize(ConfigJson.Deserialize(FullReferenceJson)))!.AsObject();
        Assert.Equal(
            new[] { "adjustGridOption", "borderSizeX", "borderSizeY", "cellCentroidsX", "cellCentroidsY", "cellSizeX", "cellSizeY",
                    "forceEvenSized", "gridStepX", "gridStepY", "mapper", "reducer", "returnSubImages", "scaleByFwhm" },
            o.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Equal("size", (string?)o["adjustGridOption"]);
        Assert.Equal("coaddPsf", (string?)o["reducer"]!["reduceOperation"]);
        Assert.Equal(["BAD", "EDGE"], o["reducer"]!["badMaskPlanes"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("add", (string?)o["mapper"]!["name"]);
        Assert.Equal(5, (int?)o["mapper"]!["addAmount"]);
    }

    [Theory]
    [InlineData(AdjustGridOption.Spacing, "spacing")]
    [InlineData(AdjustGridOption.Size, "size")]
    [InlineData(AdjustGridOption.None, "none")]
    public void AdjustGridOption_UsesTheReferenceWords(AdjustGridOption option, string word)
    {
        Assert.Contains($"\"adjustGridOption\": \"{word}\"", ConfigJson.Serialize(new MapReduceConfig { AdjustGridOption = option }));
        Assert.Equal(option, ConfigJson.Deserialize($$"""{"adjustGridOption": "{{word}}"}""").AdjustGridOption);
    }

    [Theory]
    [InlineData("none", "none")]
    [InlineData("copy", "copy")]
    [InlineData("sum", "sum")]
    [InlineData("average", "average")]
    [InlineData("coaddPsf", "coaddPsf")]
    public void ReduceOperation_UsesTheReferenceWords(string opName, string word)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        Assert.Equal(op, ConfigJson.Deserialize($$$"""{"reducer": {"reduceOperation": "{{{word}}}"}}""").Reducer.ReduceOperation);
    }

    [Fact]
    public void Defaults_AreTheReferences()
    {
        foreach (MapReduceConfig c in new[] { new MapReduceConfig(), ConfigJson.Deserialize("{}") })
        {
            Assert.Null(c.CellCentroidsX);
            Assert.Null(c.CellCentroidsY);
            Assert.Equal((10.0, 10.0, 10.0, 10.0, 5.0, 5.0), (c.CellSizeX, c.CellSizeY, c.GridStepX, c.GridStepY, c.BorderSizeX, c.BorderSizeY));
            Assert.Equal(AdjustGridOption.Spacing, c.AdjustGridOption);
            Assert.True(c.ScaleByFwhm);
            Assert.False(c.ReturnSubImages);
            Assert.False(c.ForceEvenSized);
            Assert.Equal(ReduceOperation.Average, c.Reducer.ReduceOperation);
            Assert.Equal(["INVALID_MAPREDUCE", "BAD", "NO_DATA"], c.Reducer.BadMaskPlanes);
        }
        Assert.Equal(new MapReduceConfig(), ConfigJson.Deserialize("{}"));
    }

    [Theory]
    [InlineData("cellSizeX")]
    [InlineData("cellSizeY")]
    [InlineData("gridStepX")]
    [InlineData("gridStepY")]
    [InlineData("borderSizeX")]
    [InlineData("borderSizeY")]
    public void Validate_NonPositiveSize_NamesTheField(string field)
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize($$"""{"{{field}}": -3}"""));
        Assert.Equal(field, e.Field);
        Assert.Equal($"{field} must be > 0, got -3", e.Message);
    }

    [Fact]
    public void Validate_ZeroSize_IsRejected()
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapReduceConfig { GridStepY = 0 }.Validate());
        Assert.Equal("gridStepY must be > 0, got 0", e.Message);
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    public void Validate_NonFiniteSize_NamesTheField(string literal)
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize($$"""{"cellSizeX": {{literal}}}"""));
        Assert.Equal("cellSizeX", e.Field);
        Assert.StartsWith("cellSizeX must be a finite number > 0, got ", e.Message);
    }

    [Fact]
    public void Validate_CentroidListsOfDifferentLengths_IsAnError()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("""{"cellCentroidsX": [1, 2], "cellCentroidsY": [1]}"""));
        Assert.Equal("cellCentroidsY", e.Field);
        Assert.Contains("same length, got 2 and 1", e.Message);
    }

    [Fact]
    public void Validate_CentroidsYWithoutX_IsAnError()
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapReduceConfig { CellCentroidsY = [1.0] }.Validate());
        Assert.Equal("cellCentroidsY", e.Field);
    }

    [Fact]
    public void Validate_NaNCentroid_NamesItsIndex()
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapReduceConfig { CellCentroidsX = [1.0, double.NaN], CellCentroidsY = [1.0, 2.0] }.Validate());
        Assert.Equal("cellCentroidsX[1]", e.Field);
    }

    [Fact]
    public void Deserialize_UnknownTopLevelField_IsAnErrorNamingIt()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("""{"cellSize": 3}"""));
        Assert.Contains("cellSize", e.Message);
        Assert.Equal("cellSize", e.Field);
    }

    [Fact]
    public void Deserialize_UnknownReducerField_IsAnErrorNamingIt()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("""{"reducer": {"reduceOp": "sum"}}"""));
        Assert.Equal("reducer.reduceOp", e.Field);
    }

    [Fact]
    public void Deserialize_UnknownChoice_IsAnErrorNamingTheField()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("""{"adjustGridOption": "stretch"}"""));
        Assert.Equal("adjustGridOption", e.Field);
    }

    [Fact]
    public void Deserialize_IntegerForAChoice_IsAnError()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("""{"reducer": {"reduceOperation": 2}}"""));
        Assert.Equal("reducer.reduceOperation", e.Field);
    }

    [Fact]
    public void Deserialize_DuplicateField_IsAnError()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("""{"cellSizeX": 3, "cellSizeX": 4}"""));
        Assert.Contains("cellSizeX", e.Message);
    }

    [Fact]
    public void Deserialize_NotAnObject_IsAnError()
    {
        Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("null"));
        Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize("[1]"));
    }

    [Fact]
    public void Equals_EveryPropertyTakesPart()
    {
        // Guards the hand-written equality: a property added later and forgotten there fails here.
        MapReduceConfig a = ConfigJson.Deserialize(FullReferenceJson);
        var variants = new Dictionary<string, MapReduceConfig>
        {
            ["CellCentroidsX"] = a with { CellCentroidsX = [10.5, 20, -4] },
            ["CellCentroidsY"] = a with { CellCentroidsY = [1, 2.25, 4] },
            ["CellSizeX"] = a with { CellSizeX = 1 },
            ["CellSizeY"] = a with { CellSizeY = 1 },
            ["GridStepX"] = a with { GridStepX = 1 },
            ["GridStepY"] = a with { GridStepY = 1 },
            ["BorderSizeX"] = a with { BorderSizeX = 1 },
            ["BorderSizeY"] = a with { BorderSizeY = 1 },
            ["AdjustGridOption"] = a with { AdjustGridOption = AdjustGridOption.None },
            ["ScaleByFwhm"] = a with { ScaleByFwhm = true },
            ["ReturnSubImages"] = a with { ReturnSubImages = false },
            ["ForceEvenSized"] = a with { ForceEvenSized = true },
            ["Mapper"] = a with { Mapper = new MapperConfig { Name = "add" } },
            ["Reducer"] = a with { Reducer = new ReducerConfig() },
        };
        var settable = typeof(MapReduceConfig).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order();
        Assert.Equal(settable, variants.Keys.Order());
        foreach (var (name, variant) in variants)
            Assert.False(a.Equals(variant), $"{name} does not take part in equality");
        Assert.Equal(a, a with { CellCentroidsX = a.CellCentroidsX!.ToList() });
    }

    [Theory]
    [InlineData("""{"adjustGridOption": "Spacing"}""", "adjustGridOption")]
    [InlineData("""{"adjustGridOption": "SIZE"}""", "adjustGridOption")]
    [InlineData("""{"reducer": {"reduceOperation": "coaddpsf"}}""", "reducer.reduceOperation")]
    public void Deserialize_ChoiceInAnotherCase_IsAnError(string json, string field)
    {
        // The reference's ChoiceField compares exactly: "Spacing" is not "spacing".
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize(json));
        Assert.Equal(field, e.Field);
    }
}
