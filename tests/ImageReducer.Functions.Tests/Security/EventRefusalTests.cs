using ImageReducer.Functions.Starting;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace ImageReducer.Functions.Tests.Security;

/// <summary>
/// The blob trigger's path with synthetic event URLs (Azurite emits no events): a refused event
/// starts no instance, writes no start marker, logs a warning naming the rule, and does not throw
/// (a throw would have the trigger retry it five times and poison it, with the same outcome).
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class EventRefusalTests(WorkflowHost host)
{
    private Uri AccountUrl => ((AzureBlobStore)host.Store).AccountUrl;

    private Uri UrlOf(string containerAndName) => new(AccountUrl.ToString().TrimEnd('/') + "/" + containerAndName);

    private async Task<CapturedLog> AssertRefusedAsync(Uri url, string rule, BlobPath? existing = null)
    {
        int before = host.Logs.Records.Count;

        StartOutcome? outcome = await host.Trigger.StartFromEventAsync(host.Client, url);

        Assert.Null(outcome);
        CapturedLog warning = Assert.Single(host.Logs.Records.Skip(before), r => r.EventId.Id == 2000);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(rule, warning["Reason"]);
        if (existing is not null)
        {
            // The blob is real: only the policy stood between the event and a reduction.
            string etag = (await host.Store.GetPropertiesAsync(existing)).ETag;
            string id = ReductionNames.ExposureInstanceId(existing, etag);
            Assert.Null(await host.Client.GetInstanceAsync(id));
            Assert.False(await host.Store.ExistsAsync(new BlobPath("outputs", $".starts/{id}")));
        }
        return warning;
    }

    [Fact]
    public async Task Event_BlobInAContainerThatIsNotAnInput_StartsNothing()
    {
        var blob = new BlobPath("outputs", "events/not-an-input.fits");
        await TestInputs.UploadAsync(host.Store, blob, TestInputs.ExposureFits(width: 16, height: 12, seed: 1));

        await AssertRefusedAsync(UrlOf("outputs/events/not-an-input.fits"), "not an allowed input container", blob);
    }

    [Fact]
    public async Task Event_UrlOfAnotherAccount_StartsNothing()
    {
        var blob = new BlobPath("incoming", "events/other-account.fits");
        await TestInputs.UploadAsync(host.Store, blob, TestInputs.ExposureFits(width: 16, height: 12, seed: 2));
        string other = AccountUrl.ToString().Replace(AzuriteServer.AccountName, "otheraccount", StringComparison.Ordinal);

        await AssertRefusedAsync(new Uri(other.TrimEnd('/') + "/incoming/events/other-account.fits"), "another storage account", blob);
        await AssertRefusedAsync(new Uri("https://other.blob.core.windows.net/incoming/events/other-account.fits"), "another storage account", blob);
    }

    [Theory]
    [InlineData("incoming/events/a%2F..%2F..%2Foutputs%2Fx.fits", "'..' segment")]
    [InlineData("incoming/events/%252e%252e%252fx.fits", "percent-encoded")]
    [InlineData("incoming/events/a%5Cb.fits", "backslash")]
    [InlineData("incoming/events/a%00.fits", "control character")]
    [InlineData("incoming/events/a.fits?sv=2024&sig=abc", "query (SAS)")]
    public async Task Event_TraversalOrSasInTheUrl_StartsNothing(string path, string rule)
    {
        CapturedLog warning = await AssertRefusedAsync(UrlOf(path), rule);

        Assert.DoesNotContain("sig=", warning.Message);
    }

    [Fact]
    public async Task Event_NameLongerThan1024_StartsNothing()
    {
        await AssertRefusedAsync(UrlOf("incoming/" + new string('n', 1025)), "1 to 1024");
    }

    [Fact]
    public async Task Event_BlobAlreadyDeleted_StartsNothingAndDoesNotThrow()
    {
        int before = host.Logs.Records.Count;

        StartOutcome? outcome = await host.Trigger.StartFromEventAsync(host.Client, UrlOf("incoming/events/deleted-before-the-event.fits"));

        Assert.Null(outcome);
        Assert.Single(host.Logs.Records.Skip(before), r => r.EventId.Id == 2001 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Event_ValidAzuriteUrl_StartsTheReduction()
    {
        var blob = new BlobPath("incoming", "events/accepted file.fits");
        await TestInputs.UploadAsync(host.Store, blob, TestInputs.ExposureFits(width: 16, height: 12, seed: 3));

        StartOutcome? outcome = await host.Trigger.StartFromEventAsync(host.Client, UrlOf("incoming/events/accepted%20file.fits"));

        Assert.NotNull(outcome);
        Assert.True(outcome.Started);
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(outcome.InstanceId, getInputsAndOutputs: true);
        ReductionSummary summary = done.ReadOutputAs<ReductionSummary>()!;
        Assert.Equal(ReductionStatus.Succeeded, summary.Status);
        Assert.Equal(blob, summary.Input);
    }
}
