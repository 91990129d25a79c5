using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageReducer.Workflow.Durable.Hosting;

/// <summary>
/// The task hub client of the storage provider (DurableTask.Core's <see cref="TaskHubClient"/>): schedules the
/// workflow's orchestrations, reads their status, custom status and output, waits for them and purges them — what
/// <c>imred submit/status/night --connection</c> use instead of the HTTP API. Inputs are serialized as the
/// orchestrations read them (<see cref="CoreDataConverter"/>).
/// </summary>
public sealed class StorageProviderClient
{
    private static readonly TimeSpan DefaultWaitPoll = TimeSpan.FromMilliseconds(250);
    private readonly AzureStorageOrchestrationService service;
    private readonly TaskHubClient client;
    private readonly Lazy<Task> created;

    /// <summary>A client of <paramref name="settings"/>'s task hub (created on first use if missing).</summary>
    public StorageProviderClient(TaskHubSettings settings, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        loggerFactory ??= NullLoggerFactory.Instance;
        service = new AzureStorageOrchestrationService(settings.ToProviderSettings(loggerFactory));
        client = new TaskHubClient(service, CoreDataConverter.Default, loggerFactory);
        created = new Lazy<Task>(() => service.CreateIfNotExistsAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The task hub.</summary>
    public TaskHubSettings Settings { get; }

    /// <summary>
    /// Schedules orchestration <paramref name="name"/> with <paramref name="input"/> as instance <paramref name="instanceId"/>
    /// unless an instance with that id exists (whatever its status): returns whether this call scheduled it. Like the
    /// HTTP API, submitting the same work twice gives the same instance.
    /// </summary>
    public async Task<bool> ScheduleAsync(string name, object input, string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await created.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (await GetAsync(instanceId, cancellationToken).ConfigureAwait(false) is not null) return false;
        try
        {
            // Dedupe on every status: a second client racing this one must not restart a finished instance.
            await client.CreateOrchestrationInstanceAsync(name, "", instanceId, input, tags: null, dedupeStatuses: AllStatuses)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    /// <summary>The instance's status, custom status and output; null when the task hub has no such instance.</summary>
    public async Task<InstanceStatus?> GetAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await created.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        OrchestrationState? state = await client.GetOrchestrationStateAsync(instanceId).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (state?.OrchestrationInstance is null) return null;
        string? failure = state.OrchestrationStatus == OrchestrationStatus.Failed
            ? state.FailureDetails?.ErrorMessage ?? state.Output
            : null;
        return new InstanceStatus(state.OrchestrationInstance.InstanceId, state.Name, state.OrchestrationStatus.ToString(),
            AsUtc(state.CreatedTime), AsUtc(state.LastUpdatedTime), state.Status,
            state.OrchestrationStatus == OrchestrationStatus.Completed ? state.Output : null,
            Security.SecretRedaction.Redact(failure));
    }

    /// <summary>Reads the instance every <paramref name="poll"/> (default 250 ms) until it has ended; returns its last status.</summary>
    /// <exception cref="InvalidOperationException">No such instance.</exception>
    public async Task<InstanceStatus> WaitAsync(string instanceId, TimeSpan? poll = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            InstanceStatus status = await GetAsync(instanceId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"task hub {Settings.TaskHub} has no instance '{instanceId}'");
            if (status.HasEnded) return status;
            await Task.Delay(poll ?? DefaultWaitPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the instance's history and state (not its outputs); returns whether it did. An instance that has not ended is left.</summary>
    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        // The provider's purge deletes whatever it finds, running or not; a running instance losing its history would break.
        if (await GetAsync(instanceId, cancellationToken).ConfigureAwait(false) is not { HasEnded: true }) return false;
        PurgeHistoryResult result = await service.PurgeInstanceHistoryAsync(instanceId).WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.InstancesDeleted > 0;
    }

    private static readonly OrchestrationStatus[] AllStatuses = Enum.GetValues<OrchestrationStatus>();

    private static DateTimeOffset AsUtc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
