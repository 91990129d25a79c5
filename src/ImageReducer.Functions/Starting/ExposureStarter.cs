using System.Text;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Starting;

/// <summary>
/// Starts <c>ReduceExposure</c> for one version of one blob, or <c>ReduceNight</c> for one night, at most once. The
/// instance id derives from the request (blob + ETag; a night's containers, prefixes and configuration); a start marker
/// created with if-none-match (<see cref="IBlobStore.TryCreateAsync"/>) lets exactly one of several concurrent duplicate
/// events or POSTs schedule it, and an existing instance turns a late duplicate into a no-op.
/// </summary>
/// <remarks>
/// <para>Why a marker: "no instance yet" then "schedule" is a race between duplicate deliveries, and
/// scheduling an id whose instance has already completed would run it again (Durable replaces
/// completed instances). The marker covers only that window: once the instance is scheduled,
/// <see cref="DurableTaskClient.GetInstanceAsync(string, bool, CancellationToken)"/> finds it, so the
/// winner deletes the marker right after scheduling and a start leaves nothing behind. A late
/// duplicate that wins a fresh marker checks for the instance again before scheduling.</para>
/// <para>If the process that won the marker dies before scheduling, the marker stays; a redelivery
/// after <see cref="StaleMarkerAge"/> finds no instance, schedules it and deletes the marker.</para>
/// </remarks>
public sealed class ExposureStarter(IBlobStore store)
{
    /// <summary>How long a marker without an instance is trusted to belong to a start in progress.</summary>
    public static TimeSpan StaleMarkerAge { get; } = TimeSpan.FromMinutes(5);

    /// <summary>The start marker of instance <paramref name="id"/> (in the output's container, while a start is in progress).</summary>
    public static BlobPath MarkerOf(ReductionRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new BlobPath(request.Output.Container, $".starts/{id}");
    }

    /// <summary>The start marker of night instance <paramref name="id"/> (in the night's output container).</summary>
    public static BlobPath MarkerOf(NightRequest night, string id)
    {
        ArgumentNullException.ThrowIfNull(night);
        return new BlobPath(night.OutputContainer, $".starts/{id}");
    }

    /// <summary>
    /// Starts <paramref name="night"/> unless its instance (<see cref="ReductionNames.NightInstanceId"/>: containers, prefixes,
    /// configuration and tile size) exists; concurrent duplicate POSTs schedule it once.
    /// </summary>
    public Task<StartOutcome> StartNightAsync(DurableTaskClient client, NightRequest night, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(night);
        string id = ReductionNames.NightInstanceId(night);
        return StartOnceAsync(client, WorkflowNames.ReduceNight, night, MarkerOf(night, id), night.Container + "/" + night.Prefix, id, cancellationToken,
            restart: m => NightRestart.ShouldRestart(night.Force, m.IsCompleted, m.RuntimeStatus.ToString(), m.ReadCustomStatusAs<ReductionProgress>()));
    }

    /// <summary>
    /// Starts the reduction of <paramref name="request"/> as instance <paramref name="id"/> unless it
    /// exists. Event starts use <see cref="ReductionNames.ExposureInstanceId"/> (blob + ETag); API starts
    /// add the configuration (<see cref="ApiInstanceId"/>).
    /// </summary>
    public Task<StartOutcome> StartAsync(DurableTaskClient client, ReductionRequest request, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StartOnceAsync(client, WorkflowNames.ReduceExposure, request, MarkerOf(request, id), request.Input.ToString(), id, cancellationToken);
    }

    /// <summary>Schedules <paramref name="orchestration"/> with <paramref name="input"/> as instance <paramref name="id"/> at most once.</summary>
    /// <param name="subject">What the marker names (the input or the night), for whoever finds a marker left behind.</param>
    /// <param name="restart">Which existing (ended) instances are started again rather than returned; null: none.</param>
    private async Task<StartOutcome> StartOnceAsync(DurableTaskClient client, string orchestration, object input, BlobPath marker, string subject, string id,
        CancellationToken cancellationToken, Func<OrchestrationMetadata, bool>? restart = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(id);
        // (The restart rule may read the custom status, which comes with the inputs and outputs.)
        bool Blocks(OrchestrationMetadata? existing) => existing is not null && !(restart?.Invoke(existing) ?? false);
        if (Blocks(await client.GetInstanceAsync(id, getInputsAndOutputs: restart is not null, cancellationToken).ConfigureAwait(false)))
            return new StartOutcome(id, false);

        bool won = await store.TryCreateAsync(marker, Encoding.UTF8.GetBytes(subject + "\n"), cancellationToken).ConfigureAwait(false);
        if (!won)
        {
            BlobInfo existing;
            try
            {
                existing = await store.GetPropertiesAsync(marker, cancellationToken).ConfigureAwait(false);
            }
            catch (BlobNotFoundException)
            {
                // The winner scheduled the instance and removed its marker in between.
                return new StartOutcome(id, false);
            }
            if (DateTimeOffset.UtcNow - existing.LastModified < StaleMarkerAge) return new StartOutcome(id, false);
        }
        try
        {
            // Winning a marker after an earlier winner scheduled and cleaned up must not start the instance twice.
            if (Blocks(await client.GetInstanceAsync(id, getInputsAndOutputs: restart is not null, cancellationToken).ConfigureAwait(false)))
                return new StartOutcome(id, false);
            await client.ScheduleNewOrchestrationInstanceAsync(orchestration, input, new StartOrchestrationOptions(id), cancellationToken).ConfigureAwait(false);
            return new StartOutcome(id, true);
        }
        catch (Exception e) when (IsAlreadyExists(e))
        {
            return new StartOutcome(id, false);
        }
        finally
        {
            // The instance exists now (or failed to be scheduled, and a redelivery will retry): the marker has done its job.
            try
            {
                await store.DeleteAsync(marker, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BlobStoreException)
            {
                // Left behind, it only delays a redelivery's takeover by StaleMarkerAge; the start's own outcome matters more.
            }
        }
    }

    /// <summary>The instance id of an API request: one per input version, configuration and tile size (<see cref="ReductionNames.RequestInstanceId"/>).</summary>
    public static string ApiInstanceId(ReductionRequest request, string inputETag) => ReductionNames.RequestInstanceId(request, inputETag);

    private static bool IsAlreadyExists(Exception e) =>
        e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase) ||
        (e is Grpc.Core.RpcException rpc && rpc.StatusCode == Grpc.Core.StatusCode.AlreadyExists);
}
