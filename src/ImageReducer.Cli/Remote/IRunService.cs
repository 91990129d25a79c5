using ImageReducer.Workflow.Api;

namespace ImageReducer.Cli.Remote;

/// <summary>
/// Where <c>submit</c>, <c>status</c> and <c>night</c> start and read runs: the app's HTTP API (<see cref="ReductionsClient"/>,
/// <c>--endpoint</c>) or the task hub of a storage account directly (<see cref="TaskHubRuns"/>, <c>--connection</c>). Both take
/// the API's bodies and give the same <see cref="RemoteRun"/>, so output, progress and exit codes are the same.
/// </summary>
internal interface IRunService : IDisposable
{
    /// <summary>Where the runs are, for messages (the endpoint, or the task hub and account without secrets).</summary>
    string Display { get; }

    /// <summary>
    /// The command that follows run <paramref name="id"/> the same way (over HTTP, or through the same task hub), for the
    /// "it goes on" hints; it never contains a secret.
    /// </summary>
    string FollowCommand(string id);

    /// <summary>Starts a reduction (or finds the one already started for the same work); returns its instance id.</summary>
    Task<string> StartReductionAsync(ReductionBody body, CancellationToken cancellationToken);

    /// <summary>Starts a night (or finds the one already started); returns its instance id.</summary>
    Task<string> StartNightAsync(NightBody body, CancellationToken cancellationToken);

    /// <summary>The status of a reduction or a night.</summary>
    /// <exception cref="Errors.UsageException">No instance with that id.</exception>
    Task<RemoteRun> GetAsync(string id, CancellationToken cancellationToken);
}
