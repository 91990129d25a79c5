using System.Text.RegularExpressions;
using ImageReducer.Functions.Starting;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.TestSupport;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Logging;

namespace ImageReducer.Functions.Tests.Triggers;

/// <summary>
/// The upload trigger starts reductions only for exposure names (<see cref="ImageReducerOptions.ExposureSuffixes"/>): other blobs
/// are logged and ignored — no instance, no start marker, no quarantine — and the Event Grid subscription in infra/ filters on
/// the same suffixes as the app.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed partial class TriggerFilterTests(WorkflowHost host)
{
    private Uri UrlOf(BlobPath blob) =>
        new(((AzureBlobStore)host.Store).AccountUrl.ToString().TrimEnd('/') + "/" + blob.Container + "/" + Uri.EscapeDataString(blob.Name).Replace("%2F", "/", StringComparison.Ordinal));

    [Theory]
    [InlineData("filters/a.fits.json")]
    [InlineData("filters/notes.txt")]
    [InlineData("filters/b.fits.fz")]
    [InlineData("filters/.fits")]
    public async Task Event_ForABlobThatIsNotAnExposure_IsLoggedAndIgnored_NotQuarantined(string name)
    {
        var blob = new BlobPath("incoming", name);
        // Content that would fail as FITS: were it reduced, it would be quarantined.
        string etag = await TestInputs.UploadAsync(host.Store, blob, "{\"not\": \"an exposure\"}"u8.ToArray());
        int before = host.Logs.Records.Count;

        StartOutcome? outcome = await host.Trigger.StartFromEventAsync(host.Client, UrlOf(blob));

        Assert.Null(outcome);
        CapturedLog ignored = Assert.Single(host.Logs.Records.Skip(before), r => r.EventId.Id == 2003);
        Assert.Equal(LogLevel.Information, ignored.Level);
        Assert.Contains(name, ignored.Message, StringComparison.Ordinal);
        Assert.Contains(".fits,.fit", ignored.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Records.Skip(before), r => r.Level >= LogLevel.Warning);
        string id = ReductionNames.ExposureInstanceId(blob, etag);
        Assert.Null(await host.Client.GetInstanceAsync(id));
        Assert.False(await host.Store.ExistsAsync(new BlobPath("outputs", $".starts/{id}")));
        Assert.False(await host.Store.ExistsAsync(new BlobPath("quarantine", $"incoming/{name}")));
        Assert.True(await host.Store.ExistsAsync(blob));
    }

    [Theory]
    [InlineData("filters/upper.FITS")]
    [InlineData("filters/short.fit")]
    public async Task Event_ForAnExposureName_StartsTheReduction_WhateverTheCase(string name)
    {
        var blob = new BlobPath("incoming", name);
        await TestInputs.UploadAsync(host.Store, blob, TestInputs.ExposureFits(width: 16, height: 12, seed: 41));

        StartOutcome? outcome = await host.Trigger.StartFromEventAsync(host.Client, UrlOf(blob));

        Assert.NotNull(outcome);
        Assert.True(outcome.Started);
        var done = await host.Client.WaitForInstanceCompletionAsync(outcome.InstanceId, getInputsAndOutputs: true);
        Assert.Equal(ReductionStatus.Succeeded, done.ReadOutputAs<ReductionSummary>()!.Status);
    }

    [Fact]
    public void Infra_EventGridFilter_AndAppSetting_UseTheAppsDefaultSuffixes()
    {
        string root = SharedBench.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
        string main = File.ReadAllText(Path.Combine(root, "infra", "main.bicep"));
        string eventGrid = File.ReadAllText(Path.Combine(root, "infra", "modules", "eventGrid.bicep"));

        // The default list of the template is the app's default list.
        Match defaults = SuffixParameter().Match(main);
        Assert.True(defaults.Success, "main.bicep declares no 'param exposureSuffixes string[] = [...]'");
        string[] bicepDefaults = [.. Regex.Matches(defaults.Groups["list"].Value, "'([^']*)'").Select(m => m.Groups[1].Value)];
        Assert.Equal(new ImageReducerOptions().ExposureSuffixes.Split(','), bicepDefaults);
        // The app gets the same list as the subscription.
        Assert.Contains("{ name: 'ImageReducer__ExposureSuffixes', value: join(exposureSuffixes, ',') }", main, StringComparison.Ordinal);
        Assert.Contains("exposureSuffixes: exposureSuffixes", main, StringComparison.Ordinal);
        // The subscription delivers only subjects ending with one of them.
        Assert.Matches(@"advancedFilters:\s*\[\s*\{\s*operatorType: 'StringEndsWith'\s*key: 'subject'\s*values: exposureSuffixes\s*\}\s*\]", eventGrid);
        Assert.Contains("@maxLength(25)", eventGrid, StringComparison.Ordinal);
        Assert.Equal(25, ImageReducerOptions.MaxExposureSuffixes);
    }

    [GeneratedRegex(@"param exposureSuffixes string\[\] = \[(?<list>[^\]]*)\]")]
    private static partial Regex SuffixParameter();
}
