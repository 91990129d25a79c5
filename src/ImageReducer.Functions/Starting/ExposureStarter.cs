using System.Text;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Starting;

/// <summary>
/// Starts <c>ReduceExposure</c> for one version of one blob at most once. The instance id derives from
/// blob + ETag; a start marker created with if-none-match (<see cref="IBlobStore.TryCreateAsync"/>)
/// lets exactly one of several concurrent duplicate events schedule it, and an existing instance
/// turns a late duplicate into a no-op.
/// </summary>
/// <remarks>
/// If the process that won the marker dies before scheduling, the marker stays; a redelivery after
/// <see cref="StaleMarkerAge"/> finds no instance and schedules it.
/// </remarks>
public sealed class ExposureStarter(IBlobStore store)
{
    /// <summary>How long a marker without an instance is trusted to belong to a start in progress.</summary>
    public static TimeSpan StaleMarkerAge { get; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Starts the reduction of <paramref name="request"/> as instance <paramref name="id"/> unless it
    /// exists. Event starts use <see cref="ReductionNames.ExposureInstanceId"/> (blob + ETag); API starts
    /// add the configuration (<see cref="ApiInstanceId"/>).
    /// </summary>
    public async Task<StartOutcome> StartAsync(DurableTaskClient client, ReductionRequest request, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null)
            return new StartOutcome(id, false);

        var marker = new BlobPath(request.Output.Container, $".starts/{id}");
        bool won = await store.TryCreateAsync(marker, Encoding.UTF8.GetBytes(request.Input + "\n"), cancellationToken).ConfigureAwait(false);
        if (!won)
        {
            BlobInfo existing = await store.GetPropertiesAsync(marker, cancellationToken).ConfigureAwait(false);
            if (DateTimeOffset.UtcNow - existing.LastModified < StaleMarkerAge) return new StartOutcome(id, false);
            if (await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null)
                return new StartOutcome(id, false);
        }
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(FunctionNames.ReduceExposure, request,
                new StartOrchestrationOptions(id), cancellationToken).ConfigureAwait(false);
            return new StartOutcome(id, true);
        }
        catch (Exception e) when (IsAlreadyExists(e))
        {
            return new StartOutcome(id, false);
        }
    }

    /// <summary>The instance id of an API request: one per input version, configuration and tile size.</summary>
    public static string ApiInstanceId(ReductionRequest request, string inputETag)
    {
        ArgumentNullException.ThrowIfNull(request);
        string canonical = Engine.Config.ConfigJson.Serialize(Engine.Config.ConfigJson.Deserialize(request.ConfigJson));
        return "reduction-" + ReductionNames.RunId(request.Input, inputETag, canonical + "\n" + request.Output, request.TileSize);
    }

    private static bool IsAlreadyExists(Exception e) =>
        e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase) ||
        (e is Grpc.Core.RpcException rpc && rpc.StatusCode == Grpc.Core.StatusCode.AlreadyExists);
}
