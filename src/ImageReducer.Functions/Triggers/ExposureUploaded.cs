using Azure.Storage.Blobs;
using ImageReducer.Functions.Configuration;
using ImageReducer.Functions.Starting;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Triggers;

/// <summary>
/// Event Grid blob trigger on the incoming container: starts <c>ReduceExposure</c> for the new blob
/// with the app's default configuration and tile size. The instance id comes from blob + ETag, so a
/// re-delivered event starts nothing new. The blob is bound as a client (no download here).
/// </summary>
public sealed class ExposureUploaded(ExposureStarter starter, IOptions<ImageReducerOptions> options, ILogger<ExposureUploaded> logger)
{
    [Function(nameof(ExposureUploaded))]
    public async Task Run(
        [BlobTrigger("%ImageReducer:IncomingContainer%/{name}", Source = BlobTriggerSource.EventGrid, Connection = DataStorage.ConnectionName)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var properties = await blob.GetPropertiesAsync(cancellationToken: context.CancellationToken).ConfigureAwait(false);
        string etag = properties.Value.ETag.ToString().Trim('"');
        var outcome = await StartAsync(client, new BlobPath(blob.BlobContainerName, name), etag, context.CancellationToken).ConfigureAwait(false);
        logger.LogInformation("{Blob} ({ETag}): instance {Instance} {What}", name, etag, outcome.InstanceId, outcome.Started ? "started" : "already exists");
    }

    /// <summary>What the trigger does once it knows the blob and its ETag (tests call this with synthetic events).</summary>
    public Task<StartOutcome> StartAsync(DurableTaskClient client, BlobPath input, string etag, CancellationToken cancellationToken = default)
    {
        ImageReducerOptions o = options.Value;
        string config = string.IsNullOrWhiteSpace(o.DefaultConfigJson) ? Engine.Config.ConfigJson.Serialize(new Engine.Config.MapReduceConfig()) : o.DefaultConfigJson;
        var operation = Engine.Config.ConfigJson.Deserialize(config).Reducer.ReduceOperation;
        var request = new ReductionRequest(input, ReductionNames.OutputFor(input, o.OutputContainer, "", operation), config, o.TileSize);
        return starter.StartAsync(client, request, ReductionNames.ExposureInstanceId(input, etag), cancellationToken);
    }
}
