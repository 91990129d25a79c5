using System.CommandLine;
using System.CommandLine.Parsing;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Remote;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Configuration;

namespace ImageReducer.Cli.Commands;

/// <summary>The options shared by <c>submit</c>, <c>status</c> and <c>night</c>: where the API is, the key, patience, output form.</summary>
internal sealed class RemoteOptions
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(24);
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(2);

    public Option<string?> Endpoint { get; } = new("--endpoint")
    {
        Description = $"The app's base URL: https://APP.azurewebsites.net, or http://localhost:7071 for func start; default ${RemoteEndpoint.EndpointVariable}",
        HelpName = "URL",
    };

    public Option<string?> FunctionKey { get; } = new("--function-key")
    {
        Description = $"Function key, sent as the x-functions-key header and never printed; default ${RemoteEndpoint.KeyVariable} (func start needs none)",
        HelpName = "KEY",
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "Instead of the HTTP API, the task hub of this storage account (connection string, UseDevelopmentStorage=true for Azurite, or account URL), " +
                      "served by 'imred worker' or a Functions app; the app's defaults come from ImageReducer__* variables",
        HelpName = "STORAGE",
    };

    public Option<string?> TaskHub { get; } = new("--task-hub")
    {
        Description = $"With --connection: the task hub; default ${TaskHubSettings.TaskHubVariable}, else {TaskHubSettings.DefaultTaskHub}",
        HelpName = "NAME",
    };

    public Option<TimeSpan?> Timeout { get; } = DurationOption("--timeout",
        "Give up after this long, requests and following included (30s, 10m, 2h); the run itself continues", DefaultTimeout);

    public Option<TimeSpan?> PollInterval { get; } = DurationOption("--poll-interval", "Time between status reads while following", DefaultPollInterval);

    public Option<int> Retries { get; } = new("--retries")
    {
        Description = "Retries of a request after a transient failure (no connection, timeout, 408, 429, 5xx), waiting Retry-After or 1 s doubling to 30 s",
        HelpName = "N",
        DefaultValueFactory = _ => RetryPolicy.Default.Retries,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the run as JSON on stdout (and nothing else)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Endpoint);
        command.Add(FunctionKey);
        command.Add(Connection);
        command.Add(TaskHub);
        command.Add(Timeout);
        command.Add(PollInterval);
        command.Add(Retries);
        command.Add(Json);
    }

    /// <summary>A client of the endpoint these options name, or of the task hub with --connection.</summary>
    /// <exception cref="UsageException">No endpoint, a bad URL, a negative --retries, --connection with --endpoint, or bad ImageReducer__* settings.</exception>
    public IRunService CreateClient(ParseResult parse)
    {
        if (parse.GetValue(Connection) is { } connection)
        {
            if (parse.GetValue(Endpoint) is not null) throw new UsageException("--connection and --endpoint name two different ways to the runs: give one");
            return TaskHubClient(connection, parse.GetValue(TaskHub));
        }
        if (parse.GetValue(TaskHub) is not null) throw new UsageException("--task-hub needs --connection (over HTTP, the app knows its task hub)");
        RemoteEndpoint endpoint = RemoteEndpoint.Resolve(parse.GetValue(Endpoint), parse.GetValue(FunctionKey), Environment.GetEnvironmentVariable);
        int retries = parse.GetValue(Retries);
        if (retries is < 0 or > 20) throw new UsageException($"--retries must be 0 to 20, got {retries}");
        return new ReductionsClient(endpoint, RetryPolicy.Default with { Retries = retries });
    }

    private static TaskHubRuns TaskHubClient(string connection, string? taskHub)
    {
        TaskHubSettings hub;
        IBlobStore store;
        try
        {
            hub = new TaskHubSettings(connection, taskHub ?? Environment.GetEnvironmentVariable(TaskHubSettings.TaskHubVariable) ?? TaskHubSettings.DefaultTaskHub);
            store = BlobStoreFactory.Create(hub.Connection);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--connection: {e.Message}");
        }
        // The same settings, by the same names, as the worker and the Functions app: their defaults for requests.
        var options = new ImageReducerOptions();
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(ImageReducerOptions.Section).Bind(options);
        if (options.Problems() is { Count: > 0 } problems) throw new UsageException($"invalid ImageReducer__* settings: {string.Join("; ", problems)}");
        return new TaskHubRuns(hub, store, options);
    }

    /// <summary>--timeout, or its default.</summary>
    public TimeSpan TimeoutOf(ParseResult parse) => parse.GetValue(Timeout) ?? DefaultTimeout;

    /// <summary>--poll-interval, or its default.</summary>
    public TimeSpan PollIntervalOf(ParseResult parse) => parse.GetValue(PollInterval) ?? DefaultPollInterval;

    // No DefaultValueFactory: help would print the default as a TimeSpan (1.00:00:00); the description says it as typed.
    private static Option<TimeSpan?> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description} [default: {Durations.Format(defaultValue)}]",
        HelpName = "DURATION",
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Durations.TryParse(text, out TimeSpan value)) return value;
            result.AddError($"{name}: expected a positive duration up to {Durations.Format(Durations.Max)} such as 500ms, 30s, 5m or 2h, got '{text}'");
            return defaultValue;
        },
    };
}
