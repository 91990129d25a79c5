using ImageReducer.Cli.Config;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Tests.Infrastructure;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Cli.Tests.Config;

public class ConfigLoaderTests
{
    [Fact]
    public void Load_NoFileNoSets_GivesReferenceDefaults()
    {
        MapReduceConfig config = ConfigLoader.Load(null, []);
        Assert.Equal(new MapReduceConfig(), config);
    }

    [Fact]
    public void Load_SetsAfterFile_OverrideFileValues()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.json"), """{"cellSizeX": 7, "mapper": {"name": "add", "addAmount": 5}, "reducer": {"reduceOperation": "sum"}}""");
        MapReduceConfig config = ConfigLoader.Load(new FileInfo(dir.File("c.json")), ["cellSizeX=20", "mapper.addAmount=6", "reducer.reduceOperation=none"]);
        Assert.Equal(20, config.CellSizeX);
        Assert.Equal("add", config.Mapper.Name);
        Assert.Equal(6, config.Mapper.Options["addAmount"].GetDouble());
        Assert.Equal(ReduceOperation.None, config.Reducer.ReduceOperation);
    }

    [Fact]
    public void Load_JsonArrayValue_IsParsedAsJson()
    {
        MapReduceConfig config = ConfigLoader.Load(null, ["cellCentroidsX=[0,2.6,5.2]", "cellCentroidsY=[1,2,3]"]);
        Assert.Equal([0, 2.6, 5.2], config.CellCentroidsX!);
    }

    [Fact]
    public void Load_BoolValue_IsParsedAsJson()
    {
        MapReduceConfig config = ConfigLoader.Load(null, ["mapper.addNans=true", "scaleByFwhm=false"]);
        Assert.True(config.Mapper.Options["addNans"].GetBoolean());
        Assert.False(config.ScaleByFwhm);
    }

    [Fact]
    public void Load_UnknownTopLevelKey_ThrowsUsageNamingKey()
    {
        var e = Assert.Throws<UsageException>(() => ConfigLoader.Load(null, ["cellSizeZ=3"]));
        Assert.Contains("'cellSizeZ'", e.Message);
    }

    [Fact]
    public void Load_UnknownReducerKey_ThrowsUsageNamingKey()
    {
        var e = Assert.Throws<UsageException>(() => ConfigLoader.Load(null, ["reducer.operation=sum"]));
        Assert.Contains("'reducer.operation'", e.Message);
    }

    [Fact]
    public void Load_UnknownKeyInFile_ThrowsUsageNamingFileAndKey()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.json"), """{"cellSize": 7}""");
        var e = Assert.Throws<UsageException>(() => ConfigLoader.Load(new FileInfo(dir.File("c.json")), []));
        Assert.Contains("c.json", e.Message);
        Assert.Contains("'cellSize'", e.Message);
    }

    [Fact]
    public void Load_BadValue_ThrowsValidationNamingTheSet()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigLoader.Load(null, ["cellSizeX=-3"]));
        Assert.Equal("cellSizeX", e.Field);
        Assert.Contains("--set cellSizeX=-3", e.Message);
    }

    [Fact]
    public void Load_WrongTypeValue_ThrowsValidationNamingKey()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigLoader.Load(null, ["cellSizeX=big"]));
        Assert.Contains("cellSizeX", e.Message);
    }

    [Fact]
    public void Load_UnknownReduceOperation_ThrowsValidationNamingKey()
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigLoader.Load(null, ["reducer.reduceOperation=median"]));
        Assert.Contains("reducer.reduceOperation", e.Message);
    }

    [Fact]
    public void Load_SetWithoutEquals_ThrowsUsage()
    {
        var e = Assert.Throws<UsageException>(() => ConfigLoader.Load(null, ["cellSizeX"]));
        Assert.Contains("KEY=VALUE", e.Message);
    }

    [Fact]
    public void Load_InvalidJsonFile_ThrowsUsageWithLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.json"), "{\n \"cellSizeX\": ,\n}");
        var e = Assert.Throws<UsageException>(() => ConfigLoader.Load(new FileInfo(dir.File("bad.json")), []));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Load_FileHoldingArray_ThrowsUsage()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.json"), "[1, 2]");
        var e = Assert.Throws<UsageException>(() => ConfigLoader.Load(new FileInfo(dir.File("a.json")), []));
        Assert.Contains("JSON object", e.Message);
    }

    [Fact]
    public void Load_SetThroughScalar_ThrowsUsageNamingKey()
    {
        var e = Assert.Throws<UsageException>(() => ConfigLoader.Load(null, ["mapper=3", "mapper.name=add"]));
        Assert.Contains("'mapper'", e.Message);
    }

    [Fact]
    public void Load_QuotedJsonString_IsTheString()
    {
        MapReduceConfig config = ConfigLoader.Load(null, ["mapper.name=\"add\""]);
        Assert.Equal("add", config.Mapper.Name);
    }
}
