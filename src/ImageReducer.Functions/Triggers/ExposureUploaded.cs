using Azure.Storage.Blobs;
using ImageReducer.Functions.Configuration;
using ImageReducer.Functions.Observability;
using ImageReducer.Workflow.Security;
using ImageReducer.Functions.Starting;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Triggers;

/// <summary>
/// Event Grid blob trigger on the incoming container: starts <c>ReduceExposure</c> for a new blob with an
/// exposure name (<see cref="ImageReducerOptions.ExposureSuffixes"/>, also the Event Grid subscription's filter in infra/)
/// with the app's default configuration and tile size; any other blob is logged and ignored, not quarantined. The instance id comes from blob + ETag, so a
/// re-delivered event starts nothing new. The blob is bound as a client (no download here).
/// </summary>
/// <remarks>
/// The event's blob URL passes the <see cref="BlobAccessPolicy"/> first (data account, input
/// container, name rules). A refused event, or one whose blob is already gone, starts nothing, logs
/// a warning with the reason and returns normally: throwing would make the blob trigger retry it (5
/// attempts, then the <c>webjobs-blobtrigger-poison</c> queue) with the same outcome each time. Only
/// faults that a retry can fix (storage or Durable unreachable) propagate.
/// </remarks>
public sealed class ExposureUploaded(ExposureStarter starter, IBlobStore store, BlobAccessPolicy policy, IOptions<ImageReducerOptions> options,
    ILogger<ExposureUploaded> logger)
{
    [Function(nameof(ExposureUploaded))]
    public async Task Run(
        [BlobTrigger("%ImageReducer:IncomingContainer%/{name}", Source = BlobTriggerSource.EventGrid, Connection = DataStorage.ConnectionName)] BlobClient blob,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await StartFromEventAsync(client, blob.Uri, context.CancellationToken).ConfigureAwait(false);

    /// <summary>
    /// What the trigger does with an event's blob URL (tests call it with synthetic events: Azurite
    /// emits none). Returns null when the event is refused, its blob is not an exposure or is gone; nothing is started then.
    /// </summary>
    public async Task<StartOutcome?> StartFromEventAsync(DurableTaskClient client, Uri blobUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(blobUrl);
        BlobPath input;
        try
        {
            input = policy.EventBlob(blobUrl);
        }
        catch (BlobAccessRefusedException e)
        {
            TriggerLog.EventRefused(logger, Shown(blobUrl), e.Message);
            return null;
        }
        // Other blobs may land in the container (sidecars, logs, a subscription filtered more loosely than the app): they
        // are not exposures, so not bad exposures either: nothing to reduce, nothing to quarantine.
        if (!options.Value.IsExposureName(input.Name))
        {
            TriggerLog.NotAnExposure(logger, input.ToString(), options.Value.ExposureSuffixes);
            return null;
        }
        string etag;
        try
        {
            etag = (await store.GetPropertiesAsync(input, cancellationToken).ConfigureAwait(false)).ETag;
        }
        catch (BlobNotFoundException)
        {
            TriggerLog.BlobGone(logger, input.ToString());
            return null;
        }
        StartOutcome outcome = await StartAsync(client, input, etag, cancellationToken).ConfigureAwait(false);
        TriggerLog.Started(logger, input.ToString(), etag, outcome.InstanceId, outcome.Started ? "started" : "already exists");
        return outcome;
    }

    /// <summary>What the trigger does once it knows the blob and its ETag (the blob already passed the policy).</summary>
    public Task<StartOutcome> StartAsync(DurableTaskClient client, BlobPath input, string etag, CancellationToken cancellationToken = default)
    {
        ImageReducerOptions o = options.Value;
        Engine.Config.MapReduceConfig config = o.DefaultConfig(); // parsed once per process, not per event
        var reducer = Engine.Reducing.Reducers.Create(config.Reducer);
        var request = new ReductionRequest(input, ReductionNames.OutputFor(input, o.OutputContainer, "", reducer), config, o.TileSize) { Flow = o.ExposureFlow };
        return starter.StartAsync(client, request, ReductionNames.ExposureInstanceId(input, etag), cancellationToken);
    }

    /// <summary>The URL as logged: credentials removed, and cut when absurdly long.</summary>
    private static string Shown(Uri url)
    {
        string text = SecretRedaction.Redact(url.OriginalString)!;
        return text.Length <= 300 ? text : text[..300] + $"… ({text.Length} characters)";
    }
}
