using Azure.Identity;
using DurableTask.AzureStorage;

namespace ImageReducer.Workflow.Durable.Hosting;

/// <summary>
/// Where and how the Durable Task Azure Storage provider keeps a task hub (control queues, work-item queue,
/// History and Instances tables, partition leases, large-message blobs): the settings shared by
/// <see cref="StorageProviderWorker"/> and <see cref="StorageProviderClient"/>. Validated once, on construction.
/// </summary>
/// <remarks>
/// The defaults match the Functions app's <c>host.json</c> (<c>extensions.durableTask</c>): the same task hub name
/// (<c>TaskHubName</c>, <see cref="DefaultTaskHub"/> locally), 16 partitions (which cannot change once the hub exists),
/// so a worker and <c>func start</c> on the same account serve the same hub.
/// </remarks>
public sealed record TaskHubSettings
{
    /// <summary>The Functions app's task hub name when <c>TaskHubName</c> is not set (local.settings.sample.json).</summary>
    public const string DefaultTaskHub = "ImageReducerLocal";

    /// <summary>The app setting / environment variable that names the task hub (host.json's <c>hubName</c> is <c>%TaskHubName%</c>).</summary>
    public const string TaskHubVariable = "TaskHubName";

    /// <summary>host.json's <c>partitionCount</c>.</summary>
    public const int DefaultPartitionCount = 16;

    /// <summary>
    /// The longest wait between polls of an idle queue. host.json sets 10 s for the Functions app; a worker defaults to 1 s:
    /// a new event waits at most this long to be picked up (the provider backs off from 0 to this on an empty queue).
    /// </summary>
    public static TimeSpan DefaultMaxQueuePollingInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>A task hub named <paramref name="taskHub"/> in the account of <paramref name="connection"/>.</summary>
    /// <param name="connection">A storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite) or an <c>https://ACCOUNT.blob.core.windows.net</c> URL (Azure AD login).</param>
    /// <param name="taskHub">The task hub name: 3 to 45 letters and digits, starting with a letter (the provider's rule, as queue and table names derive from it).</param>
    /// <exception cref="ArgumentException">Either is not valid; the message says which and why.</exception>
    public TaskHubSettings(string connection, string taskHub = DefaultTaskHub)
    {
        if (string.IsNullOrWhiteSpace(connection))
            throw new ArgumentException("the task hub's storage connection is empty: give a connection string (UseDevelopmentStorage=true for Azurite) or an account URL", nameof(connection));
        if (!IsConnectionString(connection) && !IsAccountUrl(connection, out _))
            throw new ArgumentException(
                $"'{Display(connection)}' is not a storage connection string or an https://ACCOUNT.blob.core.windows.net URL: the Durable task hub lives in queues and tables, which a local folder cannot hold",
                nameof(connection));
        if (taskHub is null || taskHub.Length is < 3 or > 45 || !char.IsAsciiLetter(taskHub[0]) || !taskHub.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException($"task hub name '{taskHub}' is not valid: 3 to 45 letters and digits, starting with a letter", nameof(taskHub));
        Connection = connection.Trim();
        TaskHub = taskHub;
    }

    /// <summary>The storage connection string or account URL.</summary>
    public string Connection { get; }

    /// <summary>The task hub name.</summary>
    public string TaskHub { get; }

    /// <summary>Partitions (control queues) of the hub; fixed when the hub is created.</summary>
    public int PartitionCount { get; init; } = DefaultPartitionCount;

    /// <summary>Longest idle polling interval of the control and work-item queues.</summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = DefaultMaxQueuePollingInterval;

    /// <summary>Activities this process runs at once (host.json: <c>maxConcurrentActivityFunctions</c>).</summary>
    public int MaxConcurrentActivities { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Orchestration episodes this process runs at once (host.json: <c>maxConcurrentOrchestratorFunctions</c>).</summary>
    public int MaxConcurrentOrchestrations { get; init; } = 16;

    /// <summary>
    /// How long a dequeued message stays invisible to other workers (control and work-item queues). A worker renews it
    /// while the work item runs, so this bounds only how soon the work of a worker that died comes back (at-least-once):
    /// 30 s here against the provider's 5 min.
    /// </summary>
    public TimeSpan MessageVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Keep an orchestration in memory between its episodes (the provider's extended sessions), so an episode applies only the
    /// new events instead of reloading and replaying the whole history from the History table; a session idle for
    /// <see cref="ExtendedSessionIdleTimeout"/> is dropped (the next episode replays from storage, as without sessions).
    /// </summary>
    public bool ExtendedSessions { get; init; }

    /// <summary>How long an idle extended session stays in memory.</summary>
    public TimeSpan ExtendedSessionIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This worker's name in partition leases and logs (default: machine name and process id, so two workers on one machine
    /// differ). A worker restarted with the same id takes its partitions back at once; under a new id it waits for the
    /// dead worker's leases to expire (30 s).
    /// </summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Checks the counts and intervals (the name and connection were checked on construction).</summary>
    /// <exception cref="ArgumentException">One is out of range; the message names it and its range.</exception>
    public void Validate()
    {
        if (PartitionCount is < 1 or > 16) throw new ArgumentException($"partition count must be 1 to 16, got {PartitionCount}");
        if (MaxConcurrentActivities is < 1 or > 1000) throw new ArgumentException($"max concurrent activities must be 1 to 1000, got {MaxConcurrentActivities}");
        if (MaxConcurrentOrchestrations is < 1 or > 1000) throw new ArgumentException($"max concurrent orchestrations must be 1 to 1000, got {MaxConcurrentOrchestrations}");
        if (MaxQueuePollingInterval < TimeSpan.FromMilliseconds(100) || MaxQueuePollingInterval > TimeSpan.FromMinutes(1))
            throw new ArgumentException($"max queue polling interval must be 100 ms to 1 min, got {MaxQueuePollingInterval}");
        if (MessageVisibilityTimeout < TimeSpan.FromSeconds(5) || MessageVisibilityTimeout > TimeSpan.FromMinutes(30))
            throw new ArgumentException($"message visibility timeout must be 5 s to 30 min, got {MessageVisibilityTimeout}");
        if (ExtendedSessionIdleTimeout < TimeSpan.FromSeconds(1) || ExtendedSessionIdleTimeout > TimeSpan.FromMinutes(10))
            throw new ArgumentException($"extended session idle timeout must be 1 s to 10 min, got {ExtendedSessionIdleTimeout}");
        if (string.IsNullOrWhiteSpace(WorkerId)) throw new ArgumentException("the worker id is empty");
    }

    /// <summary>The provider's settings for these values.</summary>
    /// <exception cref="ArgumentException">A count or interval is out of range.</exception>
    internal AzureStorageOrchestrationServiceSettings ToProviderSettings(Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory)
    {
        Validate();
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            ControlQueueVisibilityTimeout = MessageVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = MessageVisibilityTimeout,
            TaskHubName = TaskHub,
            PartitionCount = PartitionCount,
            MaxQueuePollingInterval = MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = MaxConcurrentOrchestrations,
            WorkerId = WorkerId,
            ExtendedSessionsEnabled = ExtendedSessions,
            ExtendedSessionIdleTimeout = ExtendedSessionIdleTimeout,
            StorageAccountClientProvider = IsAccountUrl(Connection, out Uri? url)
                ? new StorageAccountClientProvider(AccountName(url!), new DefaultAzureCredential())
                : new StorageAccountClientProvider(Connection),
        };
        if (loggerFactory is not null) settings.LoggerFactory = loggerFactory;
        return settings;
    }

    /// <summary>The connection without secrets, for messages and logs.</summary>
    public string DisplayConnection => Display(Connection);

    private static string Display(string connection) =>
        IsConnectionString(connection) ? Security.SecretRedaction.Redact(connection) ?? "" : connection.Trim();

    private static bool IsConnectionString(string text) =>
        text.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) ||
        (text.Contains('=') && (text.Contains("AccountName=", StringComparison.OrdinalIgnoreCase) ||
                                text.Contains("QueueEndpoint=", StringComparison.OrdinalIgnoreCase) ||
                                text.Contains("TableEndpoint=", StringComparison.OrdinalIgnoreCase)));

    private static bool IsAccountUrl(string text, out Uri? url) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out url) && url.Scheme == Uri.UriSchemeHttps
        && url.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase) && url.AbsolutePath.Trim('/').Length == 0;

    private static string AccountName(Uri url) => url.Host.Split('.')[0];
}
