using ImageReducer.Functions.Configuration;
using ImageReducer.Functions.Triggers;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageReducer.Functions.Tests.Infrastructure;

/// <summary>
/// The real Durable engine (in-memory backend, <see cref="DurableTaskTestHost"/>) running the app's
/// orchestrations and activities — the workflow's one registration (<see cref="WorkflowRegistration"/>),
/// calling the same classes as the <c>[Function]</c> entry points — over blob storage on a real Azurite that this
/// fixture starts and stops. Without Azurite the fixture fails, and so does every test using it.
/// </summary>
/// <remarks>
/// Counts every activity execution (retries included) by name and subject, so tests can prove what
/// was (not) retried; <see cref="BeforeMapTile"/> lets a test act while a MapTile is in flight.
/// </remarks>
public class WorkflowHost : IAsyncLifetime
{
    private readonly bool persistent;
    private readonly bool separateTaskHubAccount;
    private AzuriteServer? taskHubAzurite;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> calls = new();
    private AzuriteServer? azurite;
    private DurableTaskTestHost? durable;
    private StorageProviderWorker? worker;
    private DurableTaskClient? client;
    private DurableTaskRegistry? registry;
    private ServiceProvider? services;
    private ILoggerFactory? loggerFactory;

    /// <summary>A host on an in-memory Azurite, with the store's default retry policy.</summary>
    public WorkflowHost() : this(persistent: false)
    {
    }

    /// <summary>A host on an in-memory or (for stop/restart tests) disk-backed Azurite, with the given store settings (default: the product's).</summary>
    /// <param name="persistent">Azurite keeps its data on disk, so it can be stopped and restarted.</param>
    /// <param name="storeOptions">The blob store's settings.</param>
    /// <param name="storageProvider">
    /// Run the orchestrations on the Durable Task Azure Storage provider (task hub in Azurite's queues and tables, a
    /// <see cref="StorageProviderWorker"/>) instead of the in-memory backend of <see cref="DurableTaskTestHost"/>.
    /// </param>
    /// <param name="separateTaskHubAccount">
    /// With <paramref name="storageProvider"/>: keep the task hub in an Azurite of its own, so that stopping <see cref="Azurite"/>
    /// (the data account) leaves the Durable backend running — as an app whose data and <c>AzureWebJobsStorage</c> are two
    /// accounts. Without it both live in one Azurite, as <c>UseDevelopmentStorage=true</c> for both.
    /// </param>
    protected WorkflowHost(bool persistent, AzureBlobStoreOptions? storeOptions = null, bool storageProvider = false, bool separateTaskHubAccount = false)
    {
        this.persistent = persistent;
        StoreOptions = storeOptions ?? new AzureBlobStoreOptions();
        StorageProvider = storageProvider;
        this.separateTaskHubAccount = separateTaskHubAccount;
    }

    /// <summary>Whether the orchestrations run on the storage provider (else in memory).</summary>
    public bool StorageProvider { get; }

    /// <summary>The task hub, when <see cref="StorageProvider"/>.</summary>
    public TaskHubSettings? TaskHub { get; private set; }

    /// <summary>The settings of <see cref="Store"/>.</summary>
    public AzureBlobStoreOptions StoreOptions { get; }

    /// <summary>The Azurite process behind <see cref="Store"/> (stop and start it for outage tests).</summary>
    public AzuriteServer Azurite => azurite ?? throw new InvalidOperationException("The host is not initialised.");

    /// <summary>Runs at the start of every MapTile execution (after the fault injector); null by default.</summary>
    public Func<TileTask, Task>? BeforeMapTile { get; set; }

    /// <summary>
    /// Executions of activity <paramref name="name"/> for <paramref name="subject"/>, retries included:
    /// Plan by input path, MapTile and Reduce by plan path, Quarantine by input path.
    /// </summary>
    public int Calls(string name, object subject) => calls.GetValueOrDefault($"{name} {subject}");

    /// <summary>Executions of activity <paramref name="name"/> for any subject, retries included.</summary>
    public int Calls(string name) => calls.GetValueOrDefault(name);

    private void Count(string name, object subject)
    {
        calls.AddOrUpdate($"{name} {subject}", 1, (_, n) => n + 1);
        calls.AddOrUpdate(name, 1, (_, n) => n + 1);
    }

    /// <summary>The blob store on Azurite.</summary>
    public IBlobStore Store { get; private set; } = null!;

    /// <summary>The connection string the store was opened with (Azurite's, with its well-known account key).</summary>
    public string ConnectionString => azurite!.ConnectionString;

    /// <summary>The Durable client.</summary>
    public DurableTaskClient Client => client ?? throw new InvalidOperationException("The host is not initialised.");

    /// <summary>Transient faults to inject into MapTile calls (key: <c>tile-{index}</c> of any run).</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>MapTile executions (including retries), for asserting that the fan-out ran.</summary>
    public int MapTileCalls => mapTileCalls;
    private int mapTileCalls;

    /// <summary>The app's services (as <c>AddImageReducer</c> registers them), for building functions such as <c>ReductionsApi</c>.</summary>
    public IServiceProvider Services => services!;
    /// <summary>The app's log records (activities, orchestrations, trigger), with their structured properties.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>The blob trigger's logic (called with synthetic events: Azurite emits none).</summary>
    public ExposureUploaded Trigger => services!.GetRequiredService<ExposureUploaded>();

    public async Task InitializeAsync()
    {
        azurite = StorageProvider && !separateTaskHubAccount ? await AzuriteServer.StartAllServicesAsync(persistent) : await AzuriteServer.StartNewAsync(persistent);
        if (StorageProvider && separateTaskHubAccount) taskHubAzurite = await AzuriteServer.StartAllServicesAsync();
        Store = new AzureBlobStore(azurite.ConnectionString, StoreOptions);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ImageReducer:IncomingContainer"] = "incoming",
            ["ImageReducer:OutputContainer"] = "outputs",
            ["ImageReducer:QuarantineContainer"] = "quarantine",
            ["ImageReducer:TileSize"] = "32",
            ["ImageReducer:CellParallelism"] = "2",
            ["ImageReducer:DefaultConfigJson"] = TestInputs.ConfigJson("add", "average"),
        }).Build();
        loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(Logs));
        services = new ServiceCollection()
            .AddSingleton(loggerFactory)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddImageReducer(configuration, Store)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var activities = services.GetRequiredService<ReductionActivities>();

        var counted = new CountingActivities(services.GetRequiredService<ReductionActivities>(), Count, async task =>
        {
            Interlocked.Increment(ref mapTileCalls);
            Faults.Check($"tile-{task.TileIndex}");
            if (BeforeMapTile is { } before) await before(task);
        }, () => client is null ? null : new ImageReducer.Functions.Durable.DurableClientPurger(client));
        if (StorageProvider)
        {
            // Short polling and visibility so that the cases run about as fast as in memory; 4 partitions are plenty here.
            TaskHub = new TaskHubSettings((taskHubAzurite ?? azurite).ConnectionString, "WorkflowTests")
            {
                PartitionCount = 4,
                MaxQueuePollingInterval = TimeSpan.FromMilliseconds(250),
                MaxConcurrentActivities = 4,
            };
            registry = new DurableTaskRegistry().AddImageReducerWorkflow(_ => counted);
            worker = new StorageProviderWorker(TaskHub, registry, services, loggerFactory);
            await worker.StartAsync();
            client = new StorageProviderDurableClient(new StorageProviderClient(TaskHub));
        }
        else
        {
            durable = await DurableTaskTestHost.StartAsync(registry => registry.AddImageReducerWorkflow(_ => counted),
                new DurableTaskTestHostOptions { LoggerFactory = loggerFactory });
            client = durable.Client;
        }
    }

    /// <summary>
    /// Stops the storage-provider worker gracefully and starts a new one on the same task hub (a process restart): every
    /// orchestration in flight continues from its history in the task hub, replayed by the new worker.
    /// </summary>
    public async Task RestartWorkerAsync()
    {
        if (worker is null || TaskHub is null) throw new InvalidOperationException("Only the storage-provider host has a worker to restart.");
        await worker.DisposeAsync();
        worker = new StorageProviderWorker(TaskHub, registry!, services!, loggerFactory);
        await worker.StartAsync();
    }

    /// <summary>Runs an orchestration to completion and returns its metadata (with output).</summary>
    public async Task<OrchestrationMetadata> RunAsync(string name, object input, string? instanceId = null, TimeSpan? timeout = null)
    {
        OrchestrationMetadata done = await RunToEndAsync(name, input, instanceId, timeout);
        string id = done.InstanceId;
        // A failed orchestration is a bug in these tests' scenarios: show why rather than a later, vaguer assertion.
        if (done.RuntimeStatus == OrchestrationRuntimeStatus.Failed)
            throw new Xunit.Sdk.XunitException($"{name} {id} failed: {done.FailureDetails?.ErrorType}: {done.FailureDetails?.ErrorMessage}\n{done.FailureDetails?.StackTrace}");
        return done;
    }

    /// <summary>Runs an orchestration until it ends, failed or not, and returns its metadata (with output).</summary>
    /// <exception cref="OperationCanceledException">It did not end within <paramref name="timeout"/> (default 3 minutes).</exception>
    public async Task<OrchestrationMetadata> RunToEndAsync(string name, object input, string? instanceId = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        string id = await Client.ScheduleNewOrchestrationInstanceAsync(name, input,
            instanceId is null ? null : new StartOrchestrationOptions(instanceId), cts.Token);
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    public async Task DisposeAsync()
    {
        if (durable is not null) await durable.DisposeAsync();
        if (worker is not null) await worker.DisposeAsync();
        services?.Dispose();
        loggerFactory?.Dispose();
        if (azurite is not null) await azurite.DisposeAsync();
        if (taskHubAzurite is not null) await taskHubAzurite.DisposeAsync();
    }
}

/// <summary>Tests sharing one <see cref="WorkflowHost"/>.</summary>
[CollectionDefinition(Name)]
public sealed class WorkflowCollection : ICollectionFixture<WorkflowHost>
{
    public const string Name = "Workflow";
}

/// <summary>The workflow on the Durable Task Azure Storage provider (Azurite's blob, queue and table services), for the dual-backend cases.</summary>
public sealed class StorageProviderWorkflowHost() : WorkflowHost(persistent: false, storageProvider: true);

/// <summary>Tests sharing one <see cref="StorageProviderWorkflowHost"/>: the same cases as <see cref="WorkflowCollection"/>, on the storage provider.</summary>
[CollectionDefinition(Name)]
public sealed class StorageProviderCollection : ICollectionFixture<StorageProviderWorkflowHost>
{
    public const string Name = "Workflow on the storage provider";
}
