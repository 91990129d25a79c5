using System.Collections.Concurrent;
using ImageReducer.Functions.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Observability;
using ImageReducer.Workflow.Storage;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.ApplicationInsights.WindowsServer.TelemetryChannel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Tests.Observability;

/// <summary>
/// The worker's real service registration (<see cref="AppHost.AddImageReducerWorker"/>, what
/// Program.cs calls) wires Application Insights so that the app's Information records, with their
/// scope properties, become traces. Telemetry goes to an in-memory channel, never to the network.
/// </summary>
public sealed class ApplicationInsightsWiringTests
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["DataStorage"] = "UseDevelopmentStorage=true",
    }).Build();

    private static ServiceProvider Build(CapturingChannel channel, Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration);
        services.AddLogging();
        services.AddSingleton<ITelemetryChannel>(channel);
        register(services);
        // A syntactically valid key whose ingestion endpoint is unreachable: the channel above receives everything.
        services.Configure<TelemetryConfiguration>(c => c.ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=http://127.0.0.1:9/");
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Worker_RealRegistration_HasTelemetryServicesAndNoWarningOnlyRule()
    {
        // The Functions telemetry module is only IAsyncDisposable: the container must be disposed asynchronously.
        await using ServiceProvider provider = Build(new CapturingChannel(), s => s.AddImageReducerWorker(Configuration));

        Assert.NotNull(provider.GetService<TelemetryClient>());
        Assert.NotNull(provider.GetService<TelemetryConfiguration>());
        Assert.Contains(provider.GetServices<ILoggerProvider>(), p => p.GetType().FullName == AppHost.ApplicationInsightsProvider);
        Assert.DoesNotContain(provider.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules, r => r.ProviderName == AppHost.ApplicationInsightsProvider);
        Assert.NotNull(provider.GetService<ReductionActivities>()); // the app's own services come with it
    }

    [Fact]
    public async Task Worker_Sampling_LeavesTracesRequestsAndExceptionsWhole()
    {
        await using ServiceProvider provider = Build(new CapturingChannel(), s => s.AddImageReducerWorker(Configuration));

        var samplers = provider.GetRequiredService<TelemetryConfiguration>().DefaultTelemetrySink.TelemetryProcessors
            .OfType<AdaptiveSamplingTelemetryProcessor>().ToList();

        // One sampler (the SDK's own, which samples every type, is off), and it spares the structured logs.
        AdaptiveSamplingTelemetryProcessor sampler = Assert.Single(samplers);
        string[] excluded = sampler.ExcludedTypes.Split(';');
        Assert.Contains("Trace", excluded);
        Assert.Contains("Request", excluded);
        Assert.Contains("Exception", excluded);
    }

    [Fact]
    public async Task Worker_ActivityRecordInAScope_BecomesATraceWithInstanceExposureAndTile()
    {
        var channel = new CapturingChannel();
        await using (ServiceProvider provider = Build(channel, s => s.AddImageReducerWorker(Configuration)))
        {
            ILogger logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReductionActivities).FullName!);
            Assert.True(logger.IsEnabled(LogLevel.Information));
            using (logger.BeginScope(LogScope.Exposure("exposure-abc", new BlobPath("incoming", "n/a.fits"), 7)))
                ActivityLog.TileMapped(logger, 7, 12, 1000, 2000, 0.5);
            provider.GetRequiredService<TelemetryClient>().Flush();
        }

        TraceTelemetry trace = Assert.Single(channel.Items.OfType<TraceTelemetry>(), t => t.Message.StartsWith("Tile 7 mapped", StringComparison.Ordinal));
        Assert.Equal(SeverityLevel.Information, trace.SeverityLevel);
        Assert.Equal("exposure-abc", trace.Properties[LogProperties.InstanceId]);
        Assert.Equal("incoming/n/a.fits", trace.Properties[LogProperties.Exposure]);
        Assert.Equal("7", trace.Properties[LogProperties.TileIndex]);
        Assert.Equal("2000", trace.Properties["BytesWritten"]);
        Assert.Equal("1200", trace.Properties["EventId"]); // what the Kusto queries in docs/functions.md filter on
    }

    [Fact]
    public void SdkDefaults_WithoutTheOverride_DropInformation()
    {
        // The control: the SDK's own rule keeps only Warning and above for its provider, which is why AppHost removes it.
        using ServiceProvider provider = Build(new CapturingChannel(), s => s.AddApplicationInsightsTelemetryWorkerService());

        ILogger logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReductionActivities).FullName!);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    private sealed class CapturingChannel : ITelemetryChannel
    {
        public ConcurrentQueue<ITelemetry> Items { get; } = new();
        public bool? DeveloperMode { get; set; }
        public string EndpointAddress { get; set; } = "";
        public void Send(ITelemetry item) => Items.Enqueue(item);
        public void Flush() { }
        public void Dispose() { }
    }
}
