using ImageReducer.Engine;
using ImageReducer.Engine.Mapping;
using ImageReducer.Functions.Http;
using ImageReducer.Functions.Security;
using ImageReducer.Functions.Starting;
using ImageReducer.Functions.Triggers;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Configuration;

/// <summary>The app's services, in one place for the Functions host and the tests.</summary>
public static class ServiceRegistration
{
    /// <summary>Binds and validates <see cref="ImageReducerOptions"/> (at startup) and registers the store, the steps' services, the activities and the starters.</summary>
    public static IServiceCollection AddImageReducer(this IServiceCollection services, IConfiguration configuration, IBlobStore? store = null)
    {
        services.AddOptions<ImageReducerOptions>()
            .Bind(configuration.GetSection(ImageReducerOptions.Section))
            .Validate(o => o.Problems().Count == 0, "invalid ImageReducer settings")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ImageReducerOptions>, ImageReducerOptionsValidator>();
        services.AddSingleton(store ?? DataStorage.CreateStore(configuration));
        services.AddSingleton(new MapperRegistry());
        services.AddSingleton(sp =>
        {
            ImageReducerOptions o = sp.GetRequiredService<IOptions<ImageReducerOptions>>().Value;
            return new ReductionServices(sp.GetRequiredService<IBlobStore>(), sp.GetRequiredService<MapperRegistry>(), o.ToLimits(),
                new EngineOptions { MaxDegreeOfParallelism = o.CellParallelism });
        });
        services.AddSingleton(sp => new BlobAccessPolicy(sp.GetRequiredService<IOptions<ImageReducerOptions>>().Value,
            (sp.GetRequiredService<IBlobStore>() as AzureBlobStore)?.AccountUrl));
        services.AddSingleton<ReductionActivities>();
        services.AddSingleton<ExposureStarter>();
        services.AddSingleton<RequestValidator>();
        services.AddSingleton<ExposureUploaded>();
        return services;
    }
}
