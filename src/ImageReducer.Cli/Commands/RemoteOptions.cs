using System.CommandLine;
using System.CommandLine.Parsing;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Remote;

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
        command.Add(Timeout);
        command.Add(PollInterval);
        command.Add(Retries);
        command.Add(Json);
    }

    /// <summary>A client of the endpoint these options name.</summary>
    /// <exception cref="UsageException">No endpoint, a bad URL, or a negative --retries.</exception>
    public ReductionsClient CreateClient(ParseResult parse)
    {
        RemoteEndpoint endpoint = RemoteEndpoint.Resolve(parse.GetValue(Endpoint), parse.GetValue(FunctionKey), Environment.GetEnvironmentVariable);
        int retries = parse.GetValue(Retries);
        if (retries is < 0 or > 20) throw new UsageException($"--retries must be 0 to 20, got {retries}");
        return new ReductionsClient(endpoint, RetryPolicy.Default with { Retries = retries });
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
