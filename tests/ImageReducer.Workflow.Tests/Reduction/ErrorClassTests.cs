using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>
/// The in-process workflow (<see cref="TiledReduction"/>, as <c>imred run --tile-size</c> runs it) classes each failure once:
/// a run refused for the caller's own settings is <see cref="ErrorClass.Caller"/> and not quarantined; only an input that
/// is itself bad is <see cref="ErrorClass.BadInput"/> and quarantined.
/// </summary>
public sealed class ErrorClassTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("imred-classes-").FullName;
    private readonly LocalFolderBlobStore store;
    private readonly BlobPath input = new("incoming", "classes/a.fits");
    private readonly BlobPath output = new("outputs", "classes/a.fits");

    public ErrorClassTests() => store = new LocalFolderBlobStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Run_TileSizeOverMaxTiles_IsTheCallersErrorAndNotQuarantined()
    {
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits(height: 30));
        var services = ReductionServices.Create(store) with { Limits = WorkflowLimits.Default with { MaxTiles = 4 } };

        ReductionSummary summary = await new TiledReduction(services).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 1));

        AssertFailed(summary, ErrorClass.Caller, ErrorCodes.MaxTiles, quarantined: false);
        Assert.Contains("30 tiles; the limit is 4", summary.Error);
    }

    [Fact]
    public async Task Run_ConfigurationOutOfRange_IsTheCallersErrorAndNotQuarantined()
    {
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits());
        // Built invalid in code (every edge refuses such a text): the plan still names the field.
        MapReduceConfig config = ConfigJson.Deserialize(ReductionInputs.Config("add", "average")) with { CellSizeX = -9 };

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(new ReductionRequest(input, output, config, 8));

        AssertFailed(summary, ErrorClass.Caller, ErrorCodes.InvalidConfig, quarantined: false);
        Assert.Contains("cellSizeX must be > 0", summary.Error);
    }

    [Fact]
    public async Task Run_TruncatedInput_IsABadInputAndQuarantined()
    {
        byte[] fits = ReductionInputs.Fits();
        await ReductionInputs.UploadAsync(store, input, fits[..(fits.Length / 2)]);

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 8));

        AssertFailed(summary, ErrorClass.BadInput, nameof(FitsErrorCategory.Truncated), quarantined: true);
    }

    [Fact]
    public async Task Run_NoPsfWhereTheGridScalesByFwhm_IsAnUnsuitableInputNotQuarantined()
    {
        using (var exposure = new Exposure(new Box(0, 0, 40, 30)))
        using (var stream = new MemoryStream())
        {
            ExposureFits.Write(exposure, stream);
            await ReductionInputs.UploadAsync(store, input, stream.ToArray());
        }
        string config = ReductionInputs.Config("add", "average").Replace("\"scaleByFwhm\": false", "\"scaleByFwhm\": true", StringComparison.Ordinal);

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(config), 8));

        AssertFailed(summary, ErrorClass.UnsuitableInput, ErrorCodes.MissingPsf, quarantined: false);
    }

    [Fact]
    public async Task Run_MissingInput_IsNotFoundAndNotQuarantined()
    {
        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 8));

        AssertFailed(summary, ErrorClass.NotFound, ErrorCodes.NotFound, quarantined: false);
    }

    private void AssertFailed(ReductionSummary summary, ErrorClass errorClass, string code, bool quarantined)
    {
        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Equal(errorClass, summary.ErrorDetail?.Class);
        Assert.Equal(code, summary.ErrorDetail?.Code);
        Assert.Equal(summary.ErrorDetail!.ToString(), summary.Error);
        Assert.Equal(quarantined, DomainErrors.Quarantines(summary.ErrorDetail));
        Assert.False(File.Exists(Path.Combine(root, output.Container, output.Name)));
    }
}
