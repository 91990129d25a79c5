using System.Text;
using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Tests.Security;

/// <summary>
/// The host's store is opened with Azurite's connection string, which carries an account key. No
/// document the workflow writes or returns — metadata, orchestration outputs, custom statuses, the
/// night report, the quarantine files — may contain that key or any credential marker.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class NoSecretsTests(WorkflowHost host)
{
    private static readonly string[] Forbidden = [AzuriteServer.AccountKey, "AccountKey", "SharedAccessSignature", "sig="];

    private static void AssertClean(string what, string? text)
    {
        Assert.False(string.IsNullOrEmpty(text), $"{what} is empty: nothing was checked");
        foreach (string secret in Forbidden)
            Assert.False(text!.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{what} contains '{secret}':\n{text}");
    }

    private async Task<string> TextAsync(BlobPath path) => Encoding.UTF8.GetString(await TestInputs.DownloadAsync(host.Store, path));

    [Fact]
    public async Task Reduction_WithAKeyedConnectionString_NoDocumentHoldsACredential()
    {
        Assert.Contains("AccountKey=" + AzuriteServer.AccountKey, host.ConnectionString); // the premise: the store was opened with a key
        var input = new BlobPath("incoming", "secrets/good.fits");
        var output = new BlobPath("outputs", "secrets/good.fits");
        await TestInputs.UploadAsync(host.Store, input, TestInputs.ExposureFits(width: 32, height: 24, seed: 21));

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(TestInputs.ConfigJson("add", "average")), 8));

        Assert.Equal(ReductionStatus.Succeeded, run.ReadOutputAs<ReductionSummary>()!.Status);
        AssertClean("orchestration output", run.SerializedOutput);
        AssertClean("custom status", run.SerializedCustomStatus);
        AssertClean("orchestration input", run.SerializedInput);
        AssertClean("metadata JSON", await TextAsync(ReductionNames.Metadata(output)));
    }

    [Fact]
    public async Task Night_WithACorruptExposure_ReportQuarantineAndStatusesHoldNoCredential()
    {
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "secrets-night/a.fits"), TestInputs.ExposureFits(width: 32, height: 24, seed: 22));
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "secrets-night/b.fits"), "SIMPLE  = broken"u8.ToArray());
        // Exposure instances kept (not purged) so their outputs and statuses can be checked too.
        var night = new NightRequest("incoming", "secrets-night/", "outputs", "secrets-night/", ConfigJson.Deserialize(TestInputs.ConfigJson("add", "copy")), 16, 2)
            { PurgeExposures = false, Flow = ExposureFlow.Tiled }; // the exposure instances are kept and read

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceNight, night);

        AssertClean("night output", run.SerializedOutput);
        AssertClean("night custom status", run.SerializedCustomStatus);
        string summary = await TextAsync(run.ReadOutputAs<BlobPath>()!);
        Assert.Contains("\"failed\": 1", summary, StringComparison.OrdinalIgnoreCase);
        AssertClean("night summary", summary);
        string report = await TextAsync(NightLayout.Report(night));
        Assert.Contains("\"status\":\"failed\"", report, StringComparison.Ordinal);
        AssertClean("night report", report);
        var quarantined = await TestInputs.ListAsync(host.Store, "quarantine", "incoming/secrets-night/b.fits");
        Assert.NotEmpty(quarantined);
        foreach (string name in quarantined.Where(n => !n.EndsWith(".fits", StringComparison.Ordinal)))
            AssertClean($"quarantine/{name}", await TextAsync(new BlobPath("quarantine", name)));
        for (int i = 0; i < 2; i++)
        {
            OrchestrationMetadata? exposure = await host.Client.GetInstanceAsync(NightLayout.ExposureInstance(run.InstanceId, 0, i), getInputsAndOutputs: true);
            Assert.NotNull(exposure);
            AssertClean($"exposure {i} output", exposure.SerializedOutput);
            AssertClean($"exposure {i} custom status", exposure.SerializedCustomStatus);
        }
    }
}
