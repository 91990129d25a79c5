using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageReducer.Functions.Configuration;

/// <summary>
/// The worker's services beyond the Functions defaults — telemetry and the app's own — in one method
/// that <c>Program.cs</c> and the tests both call.
/// </summary>
public static class AppHost
{
    /// <summary>The logger provider the Application Insights SDK registers (its filter rule names it).</summary>
    public const string ApplicationInsightsProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>Telemetry types the worker never samples: the structured logs a run is traced by, invocations, failures.</summary>
    public const string UnsampledTypes = "Trace;Request;Exception;Event";

    /// <summary>Most sampled items (in practice blob dependencies) per second and instance.</summary>
    public const double SampledItemsPerSecond = 20;

    /// <summary>
    /// Application Insights through the isolated worker's integration
    /// (<c>AddApplicationInsightsTelemetryWorkerService</c> + <c>ConfigureFunctionsApplicationInsights</c>),
    /// without the SDK's default filter rule that keeps only Warning and above for its provider (the
    /// documented override, so the activities' Information records reach <c>traces</c>), then the
    /// app's services.
    /// </summary>
    /// <remarks>
    /// The worker SDK's default adaptive sampling (5 items/s over every type) would drop most of a
    /// large run's traces, and a query by <c>InstanceId</c> would then show a partial run. It is
    /// replaced by one that samples only what remains (mostly the blob dependency calls, thousands per
    /// exposure) and leaves <see cref="UnsampledTypes"/> whole.
    /// </remarks>
    public static IServiceCollection AddImageReducerWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddApplicationInsightsTelemetryWorkerService(o => o.EnableAdaptiveSampling = false);
        services.ConfigureFunctionsApplicationInsights();
        services.Configure<TelemetryConfiguration>(telemetry =>
        {
            var chain = telemetry.DefaultTelemetrySink.TelemetryProcessorChainBuilder;
            chain.UseAdaptiveSampling(SampledItemsPerSecond, excludedTypes: UnsampledTypes);
            chain.Build();
        });
        services.Configure<LoggerFilterOptions>(options =>
        {
            LoggerFilterRule? rule = options.Rules.FirstOrDefault(r => r.ProviderName == ApplicationInsightsProvider);
            if (rule is not null) options.Rules.Remove(rule);
        });
        return services.AddImageReducer(configuration);
    }
}
