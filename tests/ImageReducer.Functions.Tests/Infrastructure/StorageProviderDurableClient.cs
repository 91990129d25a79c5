using ImageReducer.Workflow.Durable.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;

namespace ImageReducer.Functions.Tests.Infrastructure;

/// <summary>
/// The <see cref="DurableTaskClient"/> surface the workflow tests use, over the storage provider's
/// <see cref="StorageProviderClient"/>, so the same test cases drive either backend. Operations the tests never use
/// (events, suspend, queries) say so instead of pretending.
/// </summary>
public sealed class StorageProviderDurableClient(StorageProviderClient client) : DurableTaskClient("storage-provider")
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null,
        StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        string id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        // The same text as the Durable clients' refusal, which ExposureStarter recognises.
        if (!await client.ScheduleAsync(orchestratorName.Name, input ?? new object(), id, cancellation))
            throw new InvalidOperationException($"An orchestration with instance id '{id}' already exists.");
        return id;
    }

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        await client.GetAsync(instanceId, cancellation) is { } status ? Metadata(status) : null;

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            if (await client.GetAsync(instanceId, cancellation) is { RuntimeStatus: not "Pending" } status) return Metadata(status);
            await Task.Delay(Poll, cancellation);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Metadata(await client.WaitAsync(instanceId, Poll, cancellation));

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        new(await client.PurgeAsync(instanceId, cancellation) ? 1 : 0);

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("the workflow raises no events");

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("the workflow tests suspend nothing");

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("the workflow tests resume nothing");

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        throw new NotSupportedException("the workflow tests query no instance lists");

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static OrchestrationMetadata Metadata(InstanceStatus status) => new(status.Name, status.InstanceId)
    {
        DataConverter = JsonDataConverter.Default,
        RuntimeStatus = Enum.Parse<OrchestrationRuntimeStatus>(status.RuntimeStatus),
        CreatedAt = status.CreatedAt,
        LastUpdatedAt = status.LastUpdatedAt,
        SerializedOutput = status.SerializedOutput,
        SerializedCustomStatus = status.SerializedCustomStatus,
        FailureDetails = status.FailureMessage is { } message ? new TaskFailureDetails("OrchestrationFailed", message, null, null, null) : null,
    };
}
