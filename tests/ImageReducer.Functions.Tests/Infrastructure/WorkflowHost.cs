using ImageReducer.Functions.Activities;
using ImageReducer.Functions.Configuration;
using ImageReducer.Functions.Orchestration;
using ImageReducer.Functions.Triggers;
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
/// orchestrations and activities — registered under the Functions' names and calling the same
/// classes as the <c>[Function]</c> entry points — over blob storage on a real Azurite that this
/// fixture starts and stops. Without Azurite the fixture fails, and so does every test using it.
/// </summary>
public sealed class WorkflowHost : IAsyncLifetime
{
    private AzuriteServer? azurite;
    private DurableTaskTestHost? durable;
    private ServiceProvider? services;
    private ILoggerFactory? loggerFactory;

    /// <summary>The blob store on Azurite.</summary>
    public IBlobStore Store { get; private set; } = null!;

    /// <summary>The connection string the store was opened with (Azurite's, with its well-known account key).</summary>
    public string ConnectionString => azurite!.ConnectionString;

    /// <summary>The Durable client.</summary>
    public DurableTaskClient Client => durable!.Client;

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
        azurite = await AzuriteServer.StartNewAsync(persistent: false);
        Store = new AzureBlobStore(azurite.ConnectionString);
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

        durable = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<ReductionRequest, ReductionSummary>(FunctionNames.ReduceExposure,
                (context, request) => ReduceExposureOrchestration.RunAsync(context, request));
            registry.AddOrchestratorFunc<NightRequest, BlobPath>(FunctionNames.ReduceNight,
                (context, night) => ReduceNightOrchestration.RunAsync(context, night));
            registry.AddActivityFunc<ReductionRequest, PlanSummary>(FunctionNames.Plan, (_, request) => activities.PlanAsync(request));
            registry.AddActivityFunc<TileTask, TileResult>(FunctionNames.MapTile, (_, task) =>
            {
                Interlocked.Increment(ref mapTileCalls);
                Faults.Check($"tile-{task.TileIndex}");
                return activities.MapTileAsync(task);
            });
            registry.AddActivityFunc<ReduceTask, ReductionSummary>(FunctionNames.Reduce, (_, task) => activities.ReduceAsync(task));
            registry.AddActivityFunc<QuarantineRequest, BlobPath?>(FunctionNames.Quarantine, (_, request) => activities.QuarantineAsync(request));
            registry.AddActivityFunc<NightRequest, NightExposure[]>(FunctionNames.ListNight, (_, night) => activities.ListNightAsync(night));
            registry.AddActivityFunc<NightReport, BlobPath>(FunctionNames.WriteNightReport, (_, report) => activities.WriteNightReportAsync(report));
        }, new DurableTaskTestHostOptions { LoggerFactory = loggerFactory });
    }

    /// <summary>Runs an orchestration to completion and returns its metadata (with output).</summary>
    public async Task<OrchestrationMetadata> RunAsync(string name, object input, string? instanceId = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        string id = await Client.ScheduleNewOrchestrationInstanceAsync(name, input,
            instanceId is null ? null : new StartOrchestrationOptions(instanceId), cts.Token);
        OrchestrationMetadata done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        // A failed orchestration is a bug in these tests' scenarios: show why rather than a later, vaguer assertion.
        if (done.RuntimeStatus == OrchestrationRuntimeStatus.Failed)
            throw new Xunit.Sdk.XunitException($"{name} {id} failed: {done.FailureDetails?.ErrorType}: {done.FailureDetails?.ErrorMessage}\n{done.FailureDetails?.StackTrace}");
        return done;
    }

    public async Task DisposeAsync()
    {
        if (durable is not null) await durable.DisposeAsync();
        services?.Dispose();
        loggerFactory?.Dispose();
        if (azurite is not null) await azurite.DisposeAsync();
    }
}

/// <summary>Tests sharing one <see cref="WorkflowHost"/>.</summary>
[CollectionDefinition(Name)]
public sealed class WorkflowCollection : ICollectionFixture<WorkflowHost>
{
    public const string Name = "Workflow";
}
