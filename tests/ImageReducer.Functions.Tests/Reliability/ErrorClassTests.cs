using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Functions.Http;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// The ReduceExposure orchestration on the real Durable engine and Azurite decides the quarantine by the error's class
/// alone: a plan refused for the caller's own settings (a tile size over MaxTiles, a configuration out of range), a valid
/// input the run cannot use and a missing input fail the run without quarantine; only a bad input is quarantined. The
/// status document reports the class, code and HTTP status of each.
/// </summary>
[Collection(WorkflowCollection.Name)]
public class ErrorClassTests(WorkflowHost host)
{
    [Fact]
    public async Task ReduceExposure_TileSizeOverMaxTiles_FailsWith400AndDoesNotQuarantine()
    {
        // 4100 rows in tiles of 1 row: over the default MaxTiles (4096) before any tile runs.
        BlobPath input = await UploadAsync("tall.fits", TestInputs.ExposureFits(width: 4, height: 4100));

        ApiErrorSeen error = await RunAsync(input, TestInputs.ConfigJson("add", "average"), tileSize: 1);

        error.Assert(ErrorClass.Caller, ErrorCodes.MaxTiles, 400);
        Assert.Contains("4100 tiles; the limit is 4096", error.Message);
        await AssertNotQuarantinedAsync(input);
    }

    [Fact]
    public async Task ReduceExposure_ConfigurationOutOfRange_FailsWith400AndDoesNotQuarantine()
    {
        BlobPath input = await UploadAsync("config.fits", TestInputs.ExposureFits());
        // Built invalid in code (a body would be refused at the edge): the plan still names the field.
        MapReduceConfig config = ConfigJson.Deserialize(TestInputs.ConfigJson("add", "average")) with { CellSizeX = -8 };

        ApiErrorSeen error = await RunAsync(input, config, tileSize: 16);

        error.Assert(ErrorClass.Caller, ErrorCodes.InvalidConfig, 400);
        Assert.Contains("cellSizeX must be > 0", error.Message);
        await AssertNotQuarantinedAsync(input);
    }

    [Fact]
    public async Task ReduceExposure_NoPsfWhereTheGridScalesByFwhm_FailsWith422AndDoesNotQuarantine()
    {
        using var exposure = new Exposure(new Box(0, 0, 32, 24));
        using var fits = new MemoryStream();
        ExposureFits.Write(exposure, fits);
        BlobPath input = await UploadAsync("no-psf.fits", fits.ToArray());

        ApiErrorSeen error = await RunAsync(input, TestInputs.ConfigJson("add", "average"), tileSize: 16);

        error.Assert(ErrorClass.UnsuitableInput, ErrorCodes.MissingPsf, 422);
        await AssertNotQuarantinedAsync(input);
    }

    [Fact]
    public async Task ReduceExposure_MissingInput_FailsWith404AndQuarantinesNothing()
    {
        var input = new BlobPath("incoming", "classes/never-uploaded.fits");

        ApiErrorSeen error = await RunAsync(input, TestInputs.ConfigJson("add", "average"), tileSize: 16);

        error.Assert(ErrorClass.NotFound, ErrorCodes.NotFound, 404);
        Assert.Equal(0, host.Calls(WorkflowNames.Quarantine, input));
    }

    [Fact]
    public async Task ReduceExposure_TruncatedInput_FailsWith422AndIsQuarantined()
    {
        byte[] bytes = TestInputs.ExposureFits();
        BlobPath input = await UploadAsync("truncated.fits", bytes[..(bytes.Length / 2)]);

        ApiErrorSeen error = await RunAsync(input, TestInputs.ConfigJson("add", "average"), tileSize: 16);

        error.Assert(ErrorClass.BadInput, nameof(FitsErrorCategory.Truncated), 422);
        Assert.Equal(1, host.Calls(WorkflowNames.Quarantine, input));
        Assert.True(await host.Store.ExistsAsync(new BlobPath("quarantine", $"{input.Container}/{input.Name}")));
    }

    private async Task<BlobPath> UploadAsync(string name, byte[] bytes)
    {
        var input = new BlobPath("incoming", "classes/" + name);
        await TestInputs.UploadAsync(host.Store, input, bytes);
        return input;
    }

    private Task<ApiErrorSeen> RunAsync(BlobPath input, string config, int tileSize) => RunAsync(input, ConfigJson.Deserialize(config), tileSize);

    private async Task<ApiErrorSeen> RunAsync(BlobPath input, MapReduceConfig config, int tileSize)
    {
        var output = new BlobPath("outputs", input.Name);
        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, config, tileSize));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.False(await host.Store.ExistsAsync(output));
        // What GET /api/reductions/{id} answers for this run.
        var status = StatusDocuments.From(run);
        Assert.NotNull(status.Error);
        Assert.Equal(summary.ErrorDetail?.Class, status.Error.Class);
        Assert.Equal(summary.ErrorDetail?.Code, status.Error.Code);
        return new ApiErrorSeen(status.Error.Class, status.Error.Code, status.Error.Status, status.Error.Message);
    }

    private async Task AssertNotQuarantinedAsync(BlobPath input)
    {
        Assert.Equal(0, host.Calls(WorkflowNames.Quarantine, input));
        Assert.False(await host.Store.ExistsAsync(new BlobPath("quarantine", $"{input.Container}/{input.Name}")));
        Assert.True(await host.Store.ExistsAsync(input)); // left where it was
    }

    private sealed record ApiErrorSeen(ErrorClass Class, string Code, int Status, string Message)
    {
        public void Assert(ErrorClass expectedClass, string expectedCode, int expectedStatus)
        {
            Xunit.Assert.Equal(expectedClass, Class);
            Xunit.Assert.Equal(expectedCode, Code);
            Xunit.Assert.Equal(expectedStatus, Status);
        }
    }
}
