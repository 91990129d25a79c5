using System.Collections.Concurrent;
using System.Text;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;

namespace ImageReducer.Workflow.Tests.NightScale;

/// <summary>
/// A Durable backend (the in-memory one of <c>Microsoft.DurableTask.InProcessTestHost</c>) with a meter around it: every
/// payload the backend stores or moves (orchestration inputs and outputs, activity inputs and outputs, custom statuses,
/// as the serialized strings the worker sent over gRPC) is measured, every orchestration execution's history is counted,
/// and the work items are counted. It also lifts the test host's dispatch limit (see <see cref="Concurrency"/>).
/// </summary>
/// <remarks>
/// Why the concurrency: the test host's dispatchers take at most <see cref="Environment.ProcessorCount"/> work items at
/// once and, at that limit, poll every 500 ms for a free slot (its <c>WorkItemDispatcher.WaitForAllClear</c>). On a
/// 2-core machine that caps a busy hub at a few work items a second whatever the work; a night of thousands of
/// exposures then spends its time asleep in the test host, not in the workflow.
/// </remarks>
/// <param name="inner">The backend (an <c>InMemoryOrchestrationService</c>).</param>
/// <param name="concurrency">Work items of each kind dispatched at once.</param>
public sealed class MeteredOrchestrationService(IOrchestrationService inner, int concurrency = MeteredOrchestrationService.DefaultConcurrency)
    : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient
{
    /// <summary>Work items of each kind in flight at once by default: enough that the dispatcher never waits for a slot.</summary>
    public const int DefaultConcurrency = 10_000;

    private readonly IOrchestrationServiceClient client = (IOrchestrationServiceClient)inner;
    private readonly ConcurrentDictionary<string, PayloadMax> payloads = new();
    private readonly ConcurrentDictionary<string, int> history = new();
    private readonly ConcurrentDictionary<string, int> continued = new();
    private readonly ConcurrentDictionary<string, (string Execution, int Events)> locked = new();
    private long orchestrationWorkItems;
    private long activityWorkItems;

    /// <summary>Work items of each kind dispatched at once.</summary>
    public int Concurrency { get; } = concurrency;

    /// <summary>Orchestration work items (episodes) run.</summary>
    public long OrchestrationWorkItems => Interlocked.Read(ref orchestrationWorkItems);

    /// <summary>Activity work items run.</summary>
    public long ActivityWorkItems => Interlocked.Read(ref activityWorkItems);

    /// <summary>The largest payload of each kind (<c>orchestration input</c>, <c>activity output</c>…), with whose it was.</summary>
    public IReadOnlyDictionary<string, PayloadMax> LargestPayloads => payloads;

    /// <summary>The most history events any execution of each orchestration (by name) held.</summary>
    public IReadOnlyDictionary<string, int> LongestHistories => history;

    /// <summary>How many executions of each orchestration (by name) ended by continuing as new.</summary>
    public IReadOnlyDictionary<string, int> ContinuedAsNew => continued;

    /// <summary>The largest payload of any kind.</summary>
    public PayloadMax LargestPayload => payloads.Values.MaxBy(p => p.Bytes) ?? new PayloadMax("", "", 0);

    /// <summary>The longest history of any orchestration.</summary>
    public KeyValuePair<string, int> LongestHistory => history.MaxBy(p => p.Value);

    private void Payload(string kind, string? name, string? data)
    {
        if (data is null) return;
        int bytes = Encoding.UTF8.GetByteCount(data);
        payloads.AddOrUpdate(kind, _ => new PayloadMax(kind, name ?? "", bytes),
            (_, old) => bytes > old.Bytes ? new PayloadMax(kind, name ?? "", bytes) : old);
    }

    private void History(string name, int events) => history.AddOrUpdate(name, events, (_, old) => Math.Max(old, events));

    private void Message(HistoryEvent e, string? orchestration)
    {
        switch (e)
        {
            case ExecutionStartedEvent s: Payload("orchestration input", s.Name, s.Input); break;
            case TaskScheduledEvent t: Payload("activity input", t.Name, t.Input); break;
            case TaskCompletedEvent c: Payload("activity output", orchestration, c.Result); break;
            case SubOrchestrationInstanceCompletedEvent c: Payload("orchestration output", orchestration, c.Result); break;
            case TaskFailedEvent f: Payload("activity failure", orchestration, f.FailureDetails?.ErrorMessage ?? f.Reason); break;
            case SubOrchestrationInstanceFailedEvent f: Payload("orchestration failure", orchestration, f.FailureDetails?.ErrorMessage ?? f.Reason); break;
        }
    }

    /// <inheritdoc/>
    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        TaskOrchestrationWorkItem item = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (item is null) return item!;
        Interlocked.Increment(ref orchestrationWorkItems);
        OrchestrationRuntimeState state = item.OrchestrationRuntimeState;
        string execution = state.OrchestrationInstance?.ExecutionId
            ?? item.NewMessages.Select(m => m.Event).OfType<ExecutionStartedEvent>().FirstOrDefault()?.OrchestrationInstance?.ExecutionId ?? "";
        // The history this episode starts from, plus what it receives and its OrchestratorStarted.
        locked[item.InstanceId] = (execution, state.Events.Count + item.NewMessages.Count + 1);
        return item;
    }

    /// <inheritdoc/>
    public Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        string name = newOrchestrationRuntimeState.Name;
        locked.TryRemove(workItem.InstanceId, out var before);
        if (newOrchestrationRuntimeState.OrchestrationInstance?.ExecutionId == before.Execution)
        {
            History(name, newOrchestrationRuntimeState.Events.Count);
        }
        else
        {
            // The episode continued as new: the ended execution held what the episode started from plus its
            // ExecutionCompleted and OrchestratorCompleted (the night's orchestrations schedule nothing in that episode).
            History(name, before.Events + 2);
            continued.AddOrUpdate(name, 1, (_, n) => n + 1);
            Payload("orchestration input", name, newOrchestrationRuntimeState.Input); // the continued execution's input
            History(name, newOrchestrationRuntimeState.Events.Count);
        }
        foreach (TaskMessage m in outboundMessages) Message(m.Event, name);
        foreach (TaskMessage m in orchestratorMessages) Message(m.Event, name);
        Payload("custom status", name, orchestrationState?.Status);
        Payload("orchestration output", name, orchestrationState?.Output);
        return inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages,
            timerMessages, continuedAsNewMessage, orchestrationState);
    }

    /// <inheritdoc/>
    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        TaskActivityWorkItem item = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (item is not null) Interlocked.Increment(ref activityWorkItems);
        return item!;
    }

    /// <inheritdoc/>
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        Message(responseMessage.Event, (workItem.TaskMessage.Event as TaskScheduledEvent)?.Name);
        return inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    }

    /// <inheritdoc/>
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage)
    {
        Message(creationMessage.Event, null);
        return client.CreateTaskOrchestrationAsync(creationMessage);
    }

    /// <inheritdoc/>
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses)
    {
        Message(creationMessage.Event, null);
        return client.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);
    }

    // Everything else passes through.

    /// <inheritdoc/>
    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskOrchestrationWorkItems => Concurrency;

    /// <inheritdoc/>
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    /// <inheritdoc/>
    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskActivityWorkItems => Concurrency;

    /// <inheritdoc/>
    public Task StartAsync() => inner.StartAsync();

    /// <inheritdoc/>
    public Task StopAsync() => inner.StopAsync();

    /// <inheritdoc/>
    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    /// <inheritdoc/>
    public Task CreateAsync() => inner.CreateAsync();

    /// <inheritdoc/>
    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    /// <inheritdoc/>
    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    /// <inheritdoc/>
    public Task DeleteAsync() => inner.DeleteAsync();

    /// <inheritdoc/>
    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    /// <inheritdoc/>
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    /// <inheritdoc/>
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    /// <inheritdoc/>
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    /// <inheritdoc/>
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc/>
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc/>
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);

    /// <inheritdoc/>
    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => client.SendTaskOrchestrationMessageAsync(message);

    /// <inheritdoc/>
    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => client.SendTaskOrchestrationMessageBatchAsync(messages);

    /// <inheritdoc/>
    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        client.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    /// <inheritdoc/>
    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    /// <inheritdoc/>
    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) =>
        client.GetOrchestrationStateAsync(instanceId, allExecutions);

    /// <inheritdoc/>
    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) =>
        client.GetOrchestrationStateAsync(instanceId, executionId);

    /// <inheritdoc/>
    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => client.GetOrchestrationHistoryAsync(instanceId, executionId);

    /// <inheritdoc/>
    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        client.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    /// <inheritdoc/>
    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken) =>
        ((IOrchestrationServiceQueryClient)inner).GetOrchestrationWithQueryAsync(query, cancellationToken);

    /// <inheritdoc/>
    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) => ((IOrchestrationServicePurgeClient)inner).PurgeInstanceStateAsync(instanceId);

    /// <inheritdoc/>
    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter) =>
        ((IOrchestrationServicePurgeClient)inner).PurgeInstanceStateAsync(purgeInstanceFilter);
}

/// <summary>The largest payload of one kind seen by <see cref="MeteredOrchestrationService"/>.</summary>
/// <param name="Kind">What it was (<c>activity input</c>, <c>orchestration output</c>, …).</param>
/// <param name="Name">The orchestration or activity it belonged to.</param>
/// <param name="Bytes">Its UTF-8 length.</param>
public sealed record PayloadMax(string Kind, string Name, int Bytes);
