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

    /// <summary>
    /// Application Insights through the isolated worker's integration
    /// (<c>AddApplicationInsightsTelemetryWorkerService</c> + <c>ConfigureFunctionsApplicationInsights</c>),
    /// without the SDK's default filter rule that keeps only Warning and above for its provider (the
    /// documented override, so the activities' Information records reach <c>traces</c>), then the
    /// app's services.
    /// </summary>
    public static IServiceCollection AddImageReducerWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();
        services.Configure<LoggerFilterOptions>(options =>
        {
            LoggerFilterRule? rule = options.Rules.FirstOrDefault(r => r.ProviderName == ApplicationInsightsProvider);
            if (rule is not null) options.Rules.Remove(rule);
        });
        return services.AddImageReducer(configuration);
    }
}
