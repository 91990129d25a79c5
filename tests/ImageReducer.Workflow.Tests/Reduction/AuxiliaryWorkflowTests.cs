using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>
/// Auxiliary inputs through the workflow's steps: the plan pins each blob's version and checks it against the input;
/// each tile reads its band of every auxiliary exposure, so the output is the in-process run's bytes whatever the tiling.
/// </summary>
public sealed class AuxiliaryWorkflowTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("imred-aux-").FullName;
    private readonly LocalFolderBlobStore store;
    private readonly BlobPath input = new("incoming", "science.fits");
    private readonly BlobPath template = new("templates", "template.fits");

    public AuxiliaryWorkflowTests() => store = new LocalFolderBlobStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private ReductionRequest Request(string operation, int tileSize, BlobPath? aux = null, string name = "template") =>
        new(input, new BlobPath("outputs", "diff.fits"), ConfigJson.Deserialize(ReductionInputs.Config("subtract", operation)), tileSize)
        {
            Auxiliary = new Dictionary<string, BlobPath> { [name] = aux ?? template },
        };

    [Theory]
    [InlineData("average", 1)]
    [InlineData("average", 7)]
    [InlineData("copy", 11)]
    [InlineData("average", 1000)]
    public async Task Subtract_TemplateBlob_OutputIsByteIdenticalToInProcessRunWhateverTheTiles(string operation, int tileSize)
    {
        byte[] science = ReductionInputs.Fits(seed: 31), templateFits = ReductionInputs.Fits(seed: 32);
        await ReductionInputs.UploadAsync(store, input, science);
        await ReductionInputs.UploadAsync(store, template, templateFits);
        ReductionRequest request = Request(operation, tileSize);

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(request);

        Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
        byte[] expected = ReductionInputs.InProcess(science, ConfigJson.Serialize(request.Config), new Dictionary<string, byte[]> { ["template"] = templateFits });
        Assert.Equal(expected, await ReductionInputs.DownloadAsync(store, request.Output));
    }

    [Fact]
    public async Task Plan_RecordsTheAuxiliaryBlobsVersionAndItsRunIdDependsOnIt()
    {
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits(seed: 1));
        await ReductionInputs.UploadAsync(store, template, ReductionInputs.Fits(seed: 2));
        var services = ReductionServices.Create(store);

        var (first, _) = await new PlanStep(services).RunAsync(Request("average", 8));
        await ReductionInputs.UploadAsync(store, template, ReductionInputs.Fits(seed: 3));
        var (second, _) = await new PlanStep(services).RunAsync(Request("average", 8));

        AuxiliaryBlob recorded = Assert.Single(first.Auxiliary);
        Assert.Equal(("template", template), (recorded.Name, recorded.Path));
        Assert.NotEqual(first.Auxiliary[0].ETag, second.Auxiliary[0].ETag);
        Assert.NotEqual(first.RunId, second.RunId);
    }

    [Fact]
    public async Task MapTile_TemplateReplacedAfterPlanning_FailsAsAConflict()
    {
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits(seed: 1));
        await ReductionInputs.UploadAsync(store, template, ReductionInputs.Fits(seed: 2));
        var services = ReductionServices.Create(store);
        var (_, plan) = await new PlanStep(services).RunAsync(Request("average", 8));
        await ReductionInputs.UploadAsync(store, template, ReductionInputs.Fits(seed: 4));

        var e = await Assert.ThrowsAsync<ReductionException>(() => new MapTileStep(services).RunAsync(new TileTask(plan.Plan!, 0)));

        Assert.Equal(ErrorClass.Conflict, e.ErrorClass);
        Assert.Contains(template.ToString(), e.Message);
    }

    [Fact]
    public async Task Run_TemplateBlobMissing_FailsNotFoundNamingIt()
    {
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits(seed: 1));

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(Request("average", 8));

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Equal(ErrorClass.NotFound, summary.ErrorDetail!.Class);
        Assert.Contains(template.ToString(), summary.Error);
    }

    [Fact]
    public async Task Run_TemplateOfAnotherSize_FailsUnsuitableBeforeAnyTile()
    {
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits(seed: 1));
        await ReductionInputs.UploadAsync(store, template, ReductionInputs.Fits(width: 41, seed: 2));

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(Request("average", 8));

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Equal((ErrorClass.UnsuitableInput, ErrorCodes.AuxiliaryMismatch), (summary.ErrorDetail!.Class, summary.ErrorDetail.Code));
        Assert.Contains("41×30", summary.Error);
    }

    [Fact]
    public async Task Run_UndeclaredAuxiliaryName_FailsAsTheCallersError()
    {
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits(seed: 1));
        await ReductionInputs.UploadAsync(store, template, ReductionInputs.Fits(seed: 2));

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(Request("average", 8, name: "reference"));

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Equal((ErrorClass.Caller, ErrorCodes.AuxiliaryInput), (summary.ErrorDetail!.Class, summary.ErrorDetail.Code));
    }
}
