using System.CommandLine;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Output;
using ImageReducer.Cli.Progress;
using ImageReducer.Cli.Remote;

namespace ImageReducer.Cli.Commands;

/// <summary>
/// What <c>submit</c>, <c>night</c> and <c>status</c> share once their request is built: start (or not), read the status once
/// or follow it to the end within <c>--timeout</c>, print it, and turn its outcome into the exit code.
/// </summary>
internal static class RemoteRunAction
{
    /// <summary>
    /// Runs <paramref name="start"/> (which returns the instance id), then reports. Exit 0 unless the run has ended failed
    /// (<see cref="RunFailedException"/>: the exit code of the run's error class).
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parse, RemoteOptions remote, string kind, bool follow,
        Func<IRunService, CancellationToken, Task<string>> start, CancellationToken cancellationToken)
    {
        using IRunService client = remote.CreateClient(parse);
        TimeSpan timeout = remote.TimeoutOf(parse);
        using var deadline = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        TextWriter stderr = parse.InvocationConfiguration.Error;
        string? id = null;
        RemoteRun run;
        try
        {
            id = await start(client, linked.Token).ConfigureAwait(false);
            run = follow
                ? await RunFollower.FollowAsync(client, id, remote.PollIntervalOf(parse),
                    ProgressDisplay.Create(parse.GetValue(GlobalOptions.Quiet), stderr), linked.Token).ConfigureAwait(false)
                : await client.GetAsync(id, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RemoteServiceException(id is null
                ? $"--timeout {Durations.Format(timeout)} elapsed before {client.Display} answered"
                : $"--timeout {Durations.Format(timeout)} elapsed while following {kind} {id}; it goes on: {client.FollowCommand(id)}");
        }
        catch (OperationCanceledException) when (id is not null)
        {
            stderr.WriteLine($"imred: stopped following {kind} {id}; it goes on: {client.FollowCommand(id)}");
            throw;
        }

        if (parse.GetValue(remote.Json)) parse.InvocationConfiguration.Output.WriteLine(CliJson.Serialize(run));
        else RunText.Write(parse.InvocationConfiguration.Output, run, client.FollowCommand(run.Id));
        if (run.Outcome == RemoteRun.Failed) throw RunFailedException.Of($"{kind} {run.Id} failed: {run.Error}", run.ErrorDetail);
        return ExitCodes.Ok;
    }
}
