using Azure;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Remote;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ImageReducer.Cli.Worker;

/// <summary>
/// The body of <c>imred worker</c>: the activities' services from the <c>ImageReducer__*</c> settings (validated before
/// anything starts), the workflow's one registration, a <see cref="StorageProviderWorker"/> on the task hub, and a
/// graceful stop when the command is cancelled (SIGINT/SIGTERM).
/// </summary>
internal static class WorkerRun
{
    /// <summary>Log levels when the environment sets none (as the Functions app's host.json: the provider's chatter at Warning).</summary>
    private static readonly Dictionary<string, string?> DefaultLogLevels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:DurableTask.Core"] = "Warning",
        ["Logging:LogLevel:DurableTask.AzureStorage"] = "Warning",
        ["Logging:LogLevel:Microsoft.DurableTask"] = "Warning",
        ["Logging:LogLevel:Azure"] = "Warning",
    };

    /// <summary>Serves the task hub until <paramref name="cancellationToken"/> is cancelled; returns 0 after a graceful stop.</summary>
    public static async Task<int> RunAsync(TaskHubSettings settings, TextWriter stderr, CancellationToken cancellationToken)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(DefaultLogLevels)
            .AddEnvironmentVariables()
            .Build();
        IBlobStore store;
        try
        {
            store = BlobStoreFactory.Create(settings.Connection);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--connection: {e.Message}");
        }
        await using ServiceProvider services = new ServiceCollection()
            .AddLogging(logging => logging
                .AddConfiguration(configuration.GetSection("Logging"))
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.IncludeScopes = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                    o.UseUtcTimestamp = true;
                })
                // stdout stays free for scripts; everything the worker says goes to stderr.
                .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddImageReducerActivities(configuration, store)
            .AddStorageProviderPurger(settings)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        CheckSettings(services);

        var registry = new DurableTaskRegistry().AddImageReducerWorkflow(sp => sp.GetRequiredService<ReductionActivities>());
        await using var worker = new StorageProviderWorker(settings, registry, services, services.GetRequiredService<ILoggerFactory>());
        try
        {
            await worker.StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or System.Net.Http.HttpRequestException)
        {
            throw new RemoteServiceException(
                $"cannot open task hub {settings.TaskHub} on {settings.DisplayConnection}: {ErrorClassifier.OneLine(e.Message)}; is the storage (Azurite: blob, queue and table) running?", e);
        }
        stderr.WriteLine($"imred worker: serving task hub {settings.TaskHub} on {settings.DisplayConnection} as {settings.WorkerId}; Ctrl+C or SIGTERM stops");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The normal way to end: stop taking work, let what is in flight finish, release the leases.
        }
        stderr.WriteLine("imred worker: stopping (finishing work in flight, releasing partitions)");
        await worker.StopAsync().ConfigureAwait(false);
        stderr.WriteLine("imred worker: stopped");
        return ExitCodes.Ok;
    }

    /// <summary>Every ImageReducer__* problem on one line, before the worker takes any work (exit 2).</summary>
    private static void CheckSettings(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<Workflow.Configuration.ImageReducerOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new UsageException($"invalid ImageReducer__* settings: {string.Join("; ", e.Failures)}");
        }
    }
}
