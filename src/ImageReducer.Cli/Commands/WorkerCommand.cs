using System.CommandLine;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Remote;
using ImageReducer.Cli.Worker;
using ImageReducer.Workflow.Durable.Hosting;

namespace ImageReducer.Cli.Commands;

/// <summary>
/// <c>imred worker</c>: runs the Durable orchestrations and activities on the Azure Storage provider of a storage account
/// until SIGINT/SIGTERM, as a Functions app would, so that <c>imred submit/night --connection</c> (or the Functions app on the
/// same task hub) have something to run them. Several workers may share one task hub.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var connection = new Option<string?>("--connection")
        {
            Description = $"Storage account of the task hub and the data: a connection string (UseDevelopmentStorage=true for Azurite) or an account URL " +
                          $"(Azure AD login); default ${StorageConnection.Variable}, else UseDevelopmentStorage=true",
            HelpName = "STORAGE",
        };
        var taskHub = new Option<string?>("--task-hub")
        {
            Description = $"Task hub name; default ${TaskHubSettings.TaskHubVariable}, else {TaskHubSettings.DefaultTaskHub} (the Functions app's)",
            HelpName = "NAME",
        };
        var maxActivities = new Option<int?>("--max-activities")
        {
            Description = $"Activities run at once, 1 to 1000; default the processor count ({Environment.ProcessorCount})",
            HelpName = "N",
        };
        var maxOrchestrations = new Option<int?>("--max-orchestrations") { Description = "Orchestration episodes run at once, 1 to 1000; default 16", HelpName = "N" };
        var polling = new Option<TimeSpan?>("--polling-interval")
        {
            Description = $"Longest wait between polls of an idle queue, 100ms to 1m [default: {Durations.Format(TaskHubSettings.DefaultMaxQueuePollingInterval)}]; " +
                          "shorter starts work sooner and costs more idle storage transactions",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (Durations.TryParse(text, out TimeSpan value)) return value;
                result.AddError($"--polling-interval: expected a duration such as 500ms or 2s, got '{text}'");
                return null;
            },
        };
        var workerId = new Option<string?>("--worker-id")
        {
            Description = "This worker's name in the task hub's partition leases; default HOST-PID. A worker restarted with the same id resumes its partitions at once",
            HelpName = "ID",
        };

        var command = new Command("worker",
            "Run the Durable workflow on a storage account's task hub (the Azure Storage provider, as the Functions app) until Ctrl+C or SIGTERM; settings from ImageReducer__* variables.")
        {
            connection, taskHub, maxActivities, maxOrchestrations, polling, workerId,
        }.WithExamples(
            "imred worker",
            "imred worker --connection \"$STORAGE_CONNECTION_STRING\" --task-hub ImageReducerProd --max-activities 2",
            "ImageReducer__TileSize=512 imred worker --connection UseDevelopmentStorage=true --worker-id vm-1");

        command.SetAction(async (parse, cancellationToken) =>
        {
            ManagedRuntime.Require("imred worker");
            TaskHubSettings settings;
            try
            {
                settings = new TaskHubSettings(StorageConnection.Resolve(parse.GetValue(connection)),
                    parse.GetValue(taskHub) ?? Environment.GetEnvironmentVariable(TaskHubSettings.TaskHubVariable) ?? TaskHubSettings.DefaultTaskHub)
                {
                    MaxConcurrentActivities = parse.GetValue(maxActivities) ?? Math.Max(1, Environment.ProcessorCount),
                    MaxConcurrentOrchestrations = parse.GetValue(maxOrchestrations) ?? 16,
                    MaxQueuePollingInterval = parse.GetValue(polling) ?? TaskHubSettings.DefaultMaxQueuePollingInterval,
                    WorkerId = parse.GetValue(workerId) ?? $"{Environment.MachineName}-{Environment.ProcessId}",
                };
                settings.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            return await WorkerRun.RunAsync(settings, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
