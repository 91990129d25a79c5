using ImageReducer.Engine;
using ImageReducer.Engine.Mapping;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageReducer.Workflow.Durable.Hosting;

/// <summary>
/// The services every host of the workflow's activities needs, registered once: the <c>ImageReducer:*</c> settings
/// (bound and validated at startup), the data store, the mappers, the steps' services and the activity bodies
/// (<see cref="ReductionActivities"/>). The Functions app adds its HTTP and trigger services on top; <c>imred worker</c>
/// uses these alone.
/// </summary>
public static class WorkflowServices
{
    /// <summary>Registers the settings from <paramref name="configuration"/>'s <c>ImageReducer</c> section, <paramref name="store"/> and the activities.</summary>
    public static IServiceCollection AddImageReducerActivities(this IServiceCollection services, IConfiguration configuration, IBlobStore store)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(store);
        services.AddOptions<ImageReducerOptions>()
            .Bind(configuration.GetSection(ImageReducerOptions.Section))
            .Validate(o => o.Problems().Count == 0, "invalid ImageReducer settings")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ImageReducerOptions>, ImageReducerOptionsValidator>();
        services.AddSingleton(store);
        services.AddSingleton(new MapperRegistry());
        services.AddSingleton(sp =>
        {
            ImageReducerOptions o = sp.GetRequiredService<IOptions<ImageReducerOptions>>().Value;
            return new ReductionServices(sp.GetRequiredService<IBlobStore>(), sp.GetRequiredService<MapperRegistry>(), o.ToLimits(),
                new EngineOptions { MaxDegreeOfParallelism = o.CellParallelism });
        });
        services.AddSingleton<ReductionActivities>();
        return services;
    }

    /// <summary>
    /// Registers the <see cref="IInstancePurger"/> of a storage-provider worker: <see cref="ReductionActivities"/> then purges
    /// a night's recorded exposure instances from <paramref name="settings"/>'s task hub (unless the night keeps them).
    /// </summary>
    public static IServiceCollection AddStorageProviderPurger(this IServiceCollection services, TaskHubSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton<IInstancePurger>(sp => new StorageProviderPurger(new StorageProviderClient(settings, sp.GetService<ILoggerFactory>())));
        return services;
    }
}
