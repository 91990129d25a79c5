using System.Text.Json;
using System.Text.RegularExpressions;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>
/// The configuration is parsed once, at the run's edge, and checked again when the run is planned; the request, the night
/// and the stored plan carry it typed, and the tiles and Reduce read it from there instead of parsing a JSON string again.
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
    public void StoredPlan_IsTransport_ItsConfigReadsBackAsWritten_WithoutBeingValidatedAgain()
    {
        // Validation belongs to the edge and the plan step (ErrorClassTests: an invalid config fails the plan, naming the field).
        TilePlan back = JsonSerializer.Deserialize<TilePlan>(WorkflowJson.SerializeToUtf8(Tile(Config with { CellSizeX = -12 })), WorkflowJson.Options)!;

        Assert.Equal(-12, back.Config.CellSizeX);
    }

    [Fact]
    public void NoStepOfTheWorkflow_ParsesTheConfig_OnlyItsEdgesDo()
    {
        string root = FindRoot();
        string folder = Path.Combine(root, "src", "ImageReducer.Workflow");
        var parsing = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Parse().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

        // The request and the night carry the configuration typed, parsed at their edge: a body's by the API's validator,
        // the app's default configuration (a setting) once when the settings are read.
        Assert.Equal(["Api/RequestValidator.cs", "Configuration/ImageReducerOptions.cs"], parsing);
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
