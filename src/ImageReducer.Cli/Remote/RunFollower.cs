using ImageReducer.Cli.Progress;

namespace ImageReducer.Cli.Remote;

/// <summary>Polls a run's status until it ends, showing its progress.</summary>
internal static class RunFollower
{
    /// <summary>
    /// Reads the status of <paramref name="id"/> every <paramref name="pollInterval"/> until the run has ended and returns its
    /// last state. Cancelling <paramref name="cancellationToken"/> stops following; the run itself goes on.
    /// </summary>
    public static Task<RemoteRun> FollowAsync(IRunService client, string id, TimeSpan pollInterval, ProgressDisplay display,
        CancellationToken cancellationToken) =>
        display.RunAsync(async live =>
        {
            using var progress = new RunProgress(live);
            while (true)
            {
                RemoteRun run = await client.GetAsync(id, cancellationToken).ConfigureAwait(false);
                progress.Show(run);
                if (run.HasEnded) return run;
                await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
            }
        });
}
