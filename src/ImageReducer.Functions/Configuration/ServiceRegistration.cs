using ImageReducer.Engine;
using ImageReducer.Engine.Mapping;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Security;
using ImageReducer.Functions.Starting;
using ImageReducer.Functions.Triggers;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Configuration;

/// <summary>The app's services, in one place for the Functions host and the tests.</summary>
public static class ServiceRegistration
{
    /// <summary>The workflow's services (<see cref="WorkflowServices.AddImageReducerActivities"/>: settings validated at startup, store, activities), then the access policy, the starters and the trigger.</summary>
    public static IServiceCollection AddImageReducer(this IServiceCollection services, IConfiguration configuration, IBlobStore? store = null)
    {
        services.AddImageReducerActivities(configuration, store ?? DataStorage.CreateStore(configuration));
        services.AddSingleton(sp => new BlobAccessPolicy(sp.GetRequiredService<IOptions<ImageReducerOptions>>().Value,
            (sp.GetRequiredService<IBlobStore>() as AzureBlobStore)?.AccountUrl));
        services.AddSingleton<ExposureStarter>();
        services.AddSingleton<RequestValidator>();
        services.AddSingleton<ExposureUploaded>();
        return services;
    }
}
