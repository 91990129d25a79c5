using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.TestSupport;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Reliability;
using Microsoft.DurableTask.Client;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// Corrupt inputs through the ReduceExposure orchestration on the real Durable engine and Azurite: the
/// run fails at once (no retry of a domain error) with the classified error in its output and custom
/// status, the input is quarantined with an error JSON beside it, and no output appears.
/// </summary>
[Collection(WorkflowCollection.Name)]
public class CorruptInputTests(WorkflowHost host)
{
    // A domain error is returned by the activity, not thrown: no retry back-off (1 s, 2 s, 4 s) is ever
    // waited. Generous for a loaded 2-core machine; a retried run would take 7 s more.
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("none/text", "NotFits")]                        // a text file
    [InlineData("lsst/truncate/hdu1-data-half", "Truncated")]   // IMAGE data cut in half
    [InlineData("lsst/bitpix/hdu1-12", "BadBitpix")]            // BITPIX = 12
    [InlineData("lsst/axes/hdu1-naxis-1000", "BadAxis")]        // NAXIS = 1000
    [InlineData("lsst/axes/hdu1-naxis1-2pow40", "TooLarge")]    // NAXIS1 = 2^40
    public async Task ReduceExposure_CorruptInputRejectedAtPlanning_FailsOnceQuarantinedWithErrorJsonNoOutput(string variant, string code)
    {
        var (input, output, bytes) = await UploadAsync(variant);
        int mapTilesBefore = host.MapTileCalls, reducesBefore = host.Calls(WorkflowNames.Reduce);
        var started = DateTimeOffset.UtcNow;

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), 16));

        string error = AssertFailedWithClassifiedError(run, input, code, started);
        Assert.Equal(1, host.Calls(WorkflowNames.Plan, input));
        Assert.Equal(mapTilesBefore, host.MapTileCalls);
        Assert.Equal(reducesBefore, host.Calls(WorkflowNames.Reduce));
        await AssertQuarantinedAsync(input, bytes, code, error, started);
        await AssertNoOutputAsync(output);
    }

    [Fact]
    public async Task ReduceExposure_CorruptMaskPlanesFoundByTiles_EachTileRunsOnceInputQuarantinedNoOutput()
    {
        var (input, output, bytes) = await UploadAsync("lsst/maskplanes/duplicate-bit");
        var started = DateTimeOffset.UtcNow;

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), 16));

        string error = AssertFailedWithClassifiedError(run, input, "BadMaskPlanes", started);
        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        BlobPath plan = ReductionNames.Plan(output, summary.RunId!);
        Assert.Equal(4, summary.Tiles); // 64 rows in bands of 16
        Assert.Equal(1, host.Calls(WorkflowNames.Plan, input));
        Assert.Equal(summary.Tiles, host.Calls(WorkflowNames.MapTile, plan)); // each tile once: no retry
        Assert.Equal(1, host.Calls(WorkflowNames.Reduce, plan));
        await AssertQuarantinedAsync(input, bytes, "BadMaskPlanes", error, started);
        await AssertNoOutputAsync(output);
    }

    [Fact]
    public async Task ReduceExposure_DataBitFlippedFoundByReduceChecksums_InputQuarantinedWithErrorJsonNoOutput()
    {
        // One bit of the MASK data flipped: every tile reads it in bands; the reduce step's sum of the
        // tiles' partial checksums no longer matches the plane's DATASUM.
        var (input, output, bytes) = await UploadAsync("lsst/checksum/hdu2-data-bit-flipped");
        var started = DateTimeOffset.UtcNow;

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), 16));

        string error = AssertFailedWithClassifiedError(run, input, "ChecksumMismatch", started);
        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        Assert.Contains($"{input}: HDU 2", error);
        Assert.Equal("ChecksumMismatch", summary.ErrorDetail?.Code);
        Assert.Equal(4, summary.Tiles); // 64 rows in bands of 16: no tile reads a whole plane
        Assert.Equal(1, host.Calls(WorkflowNames.Reduce, ReductionNames.Plan(output, summary.RunId!)));
        await AssertQuarantinedAsync(input, bytes, "ChecksumMismatch", error, started);
        await AssertNoOutputAsync(output);
    }

    [Fact]
    public async Task ReduceExposure_WholeFlowDataBitFlipped_OneActivityFailsWithTheSameErrorAndQuarantinesTheInput()
    {
        // The whole-plane read verifies the MASK DATASUM itself; the activity quarantines the input, no other work item runs.
        var v = MalformedFitsCorpus.Get("lsst/checksum/hdu2-data-bit-flipped");
        byte[] bytes = v.CreateBytes();
        var input = new BlobPath("incoming", "corrupt-whole/" + v.FileName);
        var output = new BlobPath("outputs", "corrupt-whole/" + v.FileName);
        await TestInputs.UploadAsync(host.Store, input, bytes);
        var started = DateTimeOffset.UtcNow;

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure,
            new ReductionRequest(input, output, ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), 16) { Flow = ExposureFlow.Whole });

        string error = AssertFailedWithClassifiedError(run, input, "ChecksumMismatch", started);
        Assert.Contains($"{input}: HDU 2", error);
        Assert.Equal(1, host.Calls(WorkflowNames.ReduceExposureWhole, input));
        Assert.Equal(0, host.Calls(WorkflowNames.Plan, input));
        var copy = new BlobPath("quarantine", $"{input.Container}/{input.Name}");
        Assert.Equal(bytes, await TestInputs.DownloadAsync(host.Store, copy));
        var record = WorkflowJson.Deserialize<QuarantineRecord>(await TestInputs.DownloadAsync(host.Store, QuarantineRecord.PathOf(copy)));
        Assert.Equal((input, ErrorClass.BadInput, "ChecksumMismatch"), (record.Input, record.ErrorClass, record.ErrorCode));
        Assert.Contains(record.Message, error);
        await AssertNoOutputAsync(output);
    }

    private async Task<(BlobPath Input, BlobPath Output, byte[] Bytes)> UploadAsync(string variant)
    {
        var v = MalformedFitsCorpus.Get(variant);
        byte[] bytes = v.CreateBytes();
        var input = new BlobPath("incoming", "corrupt-kinds/" + v.FileName);
        await TestInputs.UploadAsync(host.Store, input, bytes);
        return (input, new BlobPath("outputs", "corrupt-kinds/" + v.FileName), bytes);
    }

    /// <summary>Completed with a failed summary whose error is <c>code (badInput): input: …</c>, also in the custom status; returns the error.</summary>
    private static string AssertFailedWithClassifiedError(OrchestrationMetadata run, BlobPath input, string code, DateTimeOffset started)
    {
        Assert.True(DateTimeOffset.UtcNow - started < FailFast, $"the run took {DateTimeOffset.UtcNow - started}");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Null(summary.Output);
        Assert.StartsWith($"{code} (badInput): ", summary.Error);
        Assert.Contains($"{input}: HDU ", summary.Error);
        ReductionProgress progress = run.ReadCustomStatusAs<ReductionProgress>()!;
        Assert.Equal("failed", progress.Phase);
        Assert.Equal(summary.Error, progress.Error);
        return summary.Error!;
    }

    private async Task AssertQuarantinedAsync(BlobPath input, byte[] bytes, string code, string error, DateTimeOffset started)
    {
        var copy = new BlobPath("quarantine", $"{input.Container}/{input.Name}");
        Assert.Equal(1, host.Calls(WorkflowNames.Quarantine, input));
        Assert.Equal(bytes, await TestInputs.DownloadAsync(host.Store, copy));
        byte[] json = await TestInputs.DownloadAsync(host.Store, QuarantineRecord.PathOf(copy));
        var record = WorkflowJson.Deserialize<QuarantineRecord>(json);
        Assert.Equal(input, record.Input);
        Assert.Equal(copy, record.Copy);
        Assert.Equal(ErrorClass.BadInput, record.ErrorClass);
        Assert.Equal(code, record.ErrorCode);
        Assert.StartsWith($"{input}: HDU ", record.Message);
        Assert.StartsWith($"{record.ErrorCode} (badInput): ", error); // the same error as the status
        Assert.Contains(record.Message, error);
        Assert.InRange(record.Time, started.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        using var document = JsonDocument.Parse(json); // the field names a reader of the JSON sees
        foreach (string field in (string[])["input", "copy", "errorClass", "errorCode", "message", "time"])
            Assert.True(document.RootElement.TryGetProperty(field, out _), $"no '{field}' in {System.Text.Encoding.UTF8.GetString(json)}");
    }

    private async Task AssertNoOutputAsync(BlobPath output)
    {
        Assert.False(await host.Store.ExistsAsync(output));
        Assert.Empty(await TestInputs.ListAsync(host.Store, output.Container, output.Name)); // no metadata, no plan or side results
    }
}
