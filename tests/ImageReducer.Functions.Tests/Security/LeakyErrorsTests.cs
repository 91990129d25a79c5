using System.Text;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Mapping;
using ImageReducer.Functions.Http;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Functions.Tests.Security;

/// <summary>
/// Error messages that quote a connection string or a SAS URL are redacted before they reach a
/// failure record, the quarantine reason, the night report or the status document.
/// </summary>
public sealed class LeakyErrorsTests : IDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string Leak = "cannot read https://acct.blob.core.windows.net/incoming/a.fits?sv=2024-01-01&sr=b&sig=SIGNATURE%3D with " +
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Key + ";EndpointSuffix=core.windows.net";

    private readonly string root = Directory.CreateTempSubdirectory("imred-leaky-").FullName;
    private readonly LocalFolderBlobStore store;
    private readonly ReductionActivities activities;

    public LeakyErrorsTests()
    {
        store = new LocalFolderBlobStore(root);
        activities = new ReductionActivities(ReductionServices.Create(new LeakyStore(store)), Options.Create(new ImageReducerOptions()),
            NullLogger<ReductionActivities>.Instance);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static void AssertNoSecret(string? text)
    {
        Assert.NotNull(text);
        foreach (string secret in new[] { Key, "AccountKey", "SharedAccessSignature", "sig=", "SIGNATURE" })
            Assert.DoesNotContain(secret, text);
    }

    [Fact]
    public async Task Plan_DomainErrorQuotingCredentials_FailureRecordIsRedacted()
    {
        var request = new ReductionRequest(new BlobPath("incoming", "a.fits"), new BlobPath("outputs", "a.fits"), ConfigJson.Deserialize("{}"), 16);

        PlanSummary summary = await activities.PlanAsync(request);

        Assert.False(summary.Succeeded);
        Assert.Contains("https://acct.blob.core.windows.net/incoming/a.fits?[redacted]", summary.Error);
        AssertNoSecret(summary.Error);
    }

    [Fact]
    public async Task Quarantine_ReasonQuotingCredentials_ErrorJsonIsRedacted()
    {
        var input = new BlobPath("incoming", "q/a.fits");
        using (var content = new MemoryStream("not fits"u8.ToArray())) await store.WriteAsync(input, content, overwrite: true);

        BlobPath? copy = await activities.QuarantineAsync(new QuarantineRequest(input, new ErrorInfo(ErrorClass.BadInput, "Truncated", Leak)));

        Assert.NotNull(copy);
        await using Stream reason = await store.OpenReadAsync(QuarantineRecord.PathOf(copy));
        string text = await new StreamReader(reason, Encoding.UTF8).ReadToEndAsync();
        QuarantineRecord record = WorkflowJson.Deserialize<QuarantineRecord>(Encoding.UTF8.GetBytes(text));
        Assert.StartsWith("cannot read https://acct.blob.core.windows.net/incoming/a.fits?", record.Message);
        AssertNoSecret(text);
    }

    [Fact]
    public async Task NightReport_EntryErrorQuotingCredentials_ReportIsRedacted()
    {
        var night = new NightRequest("incoming", "n/", "outputs", "n/", ConfigJson.Deserialize("{}"), 16) { InstanceId = "night-leak" };
        var entry = new NightReportEntry(new BlobPath("incoming", "n/a.fits"), NightExposureStatus.Failed, DateTime.UnixEpoch, DateTime.UnixEpoch, 0, null, Leak);

        await activities.RecordBatchPartAsync(new BatchPart(night, 0, 0, [entry]));
        BlobPath path = (await activities.FinishNightAsync(new NightFinish(night, 1, DateTime.UnixEpoch, DateTime.UnixEpoch))).Report;

        await using Stream report = await store.OpenReadAsync(path);
        string text = await new StreamReader(report, Encoding.UTF8).ReadToEndAsync();
        Assert.Contains("[redacted]", text);
        AssertNoSecret(text);
    }

    [Fact]
    public void StatusDocument_FailureQuotingCredentials_IsRedacted()
    {
        var instance = new OrchestrationMetadata(WorkflowNames.ReduceExposure, "id-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Failed,
            FailureDetails = new TaskFailureDetails("BlobStoreException", Leak, null, null, null),
        };

        AssertNoSecret(StatusDocuments.From(instance).Failure);
    }

    /// <summary>A store whose every property read fails with a domain error quoting credentials, as a careless library might.</summary>
    private sealed class LeakyStore(IBlobStore inner) : IBlobStore
    {
        public Task<BlobInfo> GetPropertiesAsync(BlobPath path, CancellationToken cancellationToken = default) => throw new ArgumentException(Leak);

        public Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default) => inner.OpenReadAsync(path, cancellationToken);
        public Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default) => inner.ReadRangeAsync(path, offset, length, cancellationToken);
        public Task WriteAsync(BlobPath path, Stream content, bool overwrite, CancellationToken cancellationToken = default) => inner.WriteAsync(path, content, overwrite, cancellationToken);
        public Task StageBlockAsync(BlobPath path, string blockId, Stream content, CancellationToken cancellationToken = default) => inner.StageBlockAsync(path, blockId, content, cancellationToken);
        public Task CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, bool overwrite, CancellationToken cancellationToken = default) => inner.CommitBlocksAsync(path, blockIds, overwrite, cancellationToken);
        public Task<string> WriteAsync(BlobPath path, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) => inner.WriteAsync(path, content, condition, cancellationToken);
        public Task<string> CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, BlobCondition condition, CancellationToken cancellationToken = default) => inner.CommitBlocksAsync(path, blockIds, condition, cancellationToken);
        public Task<int> DiscardBlocksAsync(BlobPath path, string labelPrefix, CancellationToken cancellationToken = default) => inner.DiscardBlocksAsync(path, labelPrefix, cancellationToken);
        public Task<bool> ExistsAsync(BlobPath path, CancellationToken cancellationToken = default) => inner.ExistsAsync(path, cancellationToken);
        public Task<bool> DeleteAsync(BlobPath path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);
        public Task<int> DeletePrefixAsync(string container, string prefix, CancellationToken cancellationToken = default) => inner.DeletePrefixAsync(container, prefix, cancellationToken);
        public IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", CancellationToken cancellationToken = default) => inner.ListAsync(container, prefix, cancellationToken);
        public Task CopyAsync(BlobPath source, BlobPath destination, bool overwrite, CancellationToken cancellationToken = default) => inner.CopyAsync(source, destination, overwrite, cancellationToken);
        public Task<bool> TryCreateAsync(BlobPath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.TryCreateAsync(path, content, cancellationToken);
    }
}
