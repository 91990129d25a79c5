using System.Text.Json;
using System.Text.RegularExpressions;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>
/// The configuration is validated once, at the edge and when the run is planned; the stored plan carries it typed,
/// and the tiles and Reduce read it from there instead of parsing a JSON string again.
/// </summary>
public partial class TypedPlanTests
{
    private static readonly MapReduceConfig Config = ConfigJson.Deserialize(
        """{ "cellSizeX": 12, "cellSizeY": 9, "borderSizeX": 2, "borderSizeY": 2, "mapper": { "name": "add", "addAmount": 5 }, "reducer": { "reduceOperation": "copy", "badMaskPlanes": ["BAD"] } }""");

    private static TilePlan Tile(MapReduceConfig config) =>
        new("run", new BlobPath("inputs", "in.fits"), "e", Engine.Fits.ExposureFormat.Lsst, new BlobPath("outputs", "out.fits"), OutputKind.Exposure, config,
            new Box(0, 0, 10, 10), 1, null, new TileSpec(0, new Box(0, 0, 10, 10), new Box(0, 0, 10, 10), [0], [0]), [new Box(0, 0, 10, 10)], [new Box(0, 0, 10, 10)]);

    [Fact]
    public void StoredTilePlan_CarriesTheConfigAsAnObject_AndReadsBackTheSameConfig()
    {
        byte[] json = WorkflowJson.SerializeToUtf8(Tile(Config));

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement stored = document.RootElement.GetProperty("config");
        TilePlan back = JsonSerializer.Deserialize<TilePlan>(json, WorkflowJson.Options)!;

        Assert.Equal(JsonValueKind.Object, stored.ValueKind);
        Assert.Equal("copy", stored.GetProperty("reducer").GetProperty("reduceOperation").GetString());
        Assert.Equal(ConfigJson.Serialize(Config), ConfigJson.Serialize(back.Config));
        Assert.Equal((ReduceOperation.Copy, PsfRule.Input), (back.Reducer.Operation, back.Reducer.PsfRule));
    }

    [Fact]
    public void StoredPlan_WithAnInvalidConfig_IsRefusedWhenRead_NamingTheField()
    {
        string json = System.Text.Encoding.UTF8.GetString(WorkflowJson.SerializeToUtf8(Tile(Config))).Replace("\"cellSizeX\": 12", "\"cellSizeX\": -12", StringComparison.Ordinal);

        var e = Assert.Throws<ConfigValidationException>(() => JsonSerializer.Deserialize<TilePlan>(json, WorkflowJson.Options));

        Assert.Equal("cellSizeX", e.Field);
    }

    [Fact]
    public void TheTilesAndReduce_NeverParseTheConfig_OnlyThePlanStepDoes()
    {
        string root = FindRoot();
        string folder = Path.Combine(root, "src", "ImageReducer.Workflow", "Reduction");
        var parsing = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => Parse().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetFileName(f))
            .Order(StringComparer.Ordinal)
            .ToArray();

        // PlanStep validates the request once; ReductionNames canonicalises configurations for instance ids (starters).
        Assert.Equal(["PlanStep.cs", "ReductionNames.cs"], parsing);
        Assert.Single(Parse().Matches(File.ReadAllText(Path.Combine(folder, "PlanStep.cs"))));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ImageReducer.sln"))) return dir.FullName;
        throw new Xunit.Sdk.XunitException("no ImageReducer.sln above the tests");
    }

    [GeneratedRegex(@"ConfigJson\.Deserialize\(|ParseConfig\(")]
    private static partial Regex Parse();
}
