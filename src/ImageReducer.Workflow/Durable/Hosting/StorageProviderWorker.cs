using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageReducer.Workflow.Durable.Hosting;

/// <summary>
/// Runs the workflow's orchestrations and activities on the Durable Task Azure Storage provider — the backend Azure
/// Durable Functions uses by default — outside the Functions runtime: DurableTask.Core's <see cref="TaskHubWorker"/>
/// over an <see cref="AzureStorageOrchestrationService"/>, with every orchestrator and activity of a
/// <see cref="DurableTaskRegistry"/> (usually <see cref="WorkflowRegistration.AddImageReducerWorkflow"/>) bridged
/// through <see cref="DurableTaskShimFactory"/>. Several workers (processes, machines) may serve one task hub: the
/// provider balances its partitions between them with leases.
/// </summary>
/// <remarks>
/// <para>Failures propagate as failure details (<see cref="ErrorPropagationMode.UseFailureDetails"/>), which the shims
/// need for <see cref="TaskFailedException.FailureDetails"/> and retry policies.</para>
/// <para>Stopping is graceful: the worker stops taking work items, waits for those in flight to finish (bounded by
/// the provider's own shutdown timeout) and releases its partition leases, so another worker takes over at once
/// instead of after the lease expires. A process killed without stopping loses nothing either: its work items come
/// back when their queue messages become visible again (at-least-once), and its leases expire.</para>
/// </remarks>
public sealed class StorageProviderWorker : IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService service;
    private readonly TaskHubWorker worker;
    private readonly ILogger log;
    private int state; // 0 created, 1 started, 2 stopped

    /// <summary>A worker for <paramref name="settings"/>'s task hub, running what <paramref name="registry"/> holds.</summary>
    /// <param name="settings">The task hub.</param>
    /// <param name="registry">The orchestrators and activities (their factories get <paramref name="services"/>).</param>
    /// <param name="services">The services the registry's factories resolve from.</param>
    /// <param name="loggerFactory">Logs of the provider, the shims (orchestration replay-safe loggers) and this worker.</param>
    public StorageProviderWorker(TaskHubSettings settings, DurableTaskRegistry registry, IServiceProvider services, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        loggerFactory ??= NullLoggerFactory.Instance;
        Settings = settings;
        log = loggerFactory.CreateLogger<StorageProviderWorker>();
        service = new AzureStorageOrchestrationService(settings.ToProviderSettings(loggerFactory));
        worker = new TaskHubWorker(service, loggerFactory) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), loggerFactory);
        foreach (var (name, factory) in registry.GetOrchestrators())
            worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(name, () => shims.CreateOrchestration(name, factory(services))));
        foreach (var (name, factory) in registry.GetActivities())
            worker.AddTaskActivities(new Creator<TaskActivity>(name, () => shims.CreateActivity(name, factory(services))));
    }

    /// <summary>The task hub this worker serves.</summary>
    public TaskHubSettings Settings { get; }

    /// <summary>Creates the task hub's queues, tables and containers if missing, then starts taking work.</summary>
    /// <exception cref="InvalidOperationException">Already started or stopped.</exception>
    public async Task StartAsync()
    {
        if (Interlocked.CompareExchange(ref state, 1, 0) != 0) throw new InvalidOperationException("The worker has already been started.");
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        await worker.StartAsync().ConfigureAwait(false);
        HostingLog.WorkerStarted(log, Settings.WorkerId, Settings.TaskHub, Settings.DisplayConnection, Settings.MaxConcurrentActivities,
            Settings.MaxQueuePollingInterval.TotalSeconds);
    }

    /// <summary>
    /// Stops taking work items, lets those in flight finish and releases the partition leases. Idempotent; a worker
    /// that was never started just stops.
    /// </summary>
    public async Task StopAsync()
    {
        int previous = Interlocked.Exchange(ref state, 2);
        if (previous != 1) return;
        HostingLog.WorkerStopping(log, Settings.WorkerId, Settings.TaskHub);
        await worker.StopAsync(isForced: false).ConfigureAwait(false);
        HostingLog.WorkerStopped(log, Settings.WorkerId, Settings.TaskHub);
    }

    /// <summary>Stops (gracefully) and releases the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        worker.Dispose();
    }

    /// <summary>A fresh object per execution: orchestrations keep per-instance state, so none may be shared.</summary>
    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> create;

        public Creator(TaskName name, Func<T> create)
        {
            Name = name.Name;
            Version = "";
            this.create = create;
        }

        public override T Create() => create();
    }
}
