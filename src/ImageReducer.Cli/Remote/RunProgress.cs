using ImageReducer.Cli.Progress;

namespace ImageReducer.Cli.Remote;

/// <summary>
/// Shows a followed run's phases with the CLI's progress display: each phase the orchestration reports becomes a
/// display phase, with a bar when it counts tiles (a reduction's mapping) or exposures (a night).
/// </summary>
internal sealed class RunProgress(ProgressDisplay display) : IDisposable
{
    private string? phaseName;
    private IProgressPhase? phase;
    private int shown;
    private int total;
    private string? described;

    /// <summary>Shows <paramref name="run"/>'s latest state; on its end, completes (succeeded) or abandons (failed) the phase.</summary>
    public void Show(RemoteRun run)
    {
        string name = run.Phase ?? run.RuntimeStatus.ToLowerInvariant();
        // succeeded / failed are outcomes, not phases: the phase in progress ends with them.
        if (name is not (RemoteRun.Succeeded or RemoteRun.Failed) && name != phaseName)
        {
            // The run moved on, so the phase finished: its count is complete even if no poll saw the last steps.
            AdvanceTo(total);
            phase?.Complete();
            phase?.Dispose();
            phaseName = name;
            shown = 0;
            described = null;
            bool counted = run.Total > 0 && run.Done < run.Total;
            total = counted ? run.Total : 0;
            phase = counted
                ? display.Begin(name, "", run.Total, name == "mapping" ? "tiles" : "exposures")
                : display.Begin(name, "");
        }
        if (phase is not null && total > 0 && run.Done > shown) AdvanceTo(Math.Min(run.Done, total));
        // A night's batches, lanes and failures beside its exposures: shown whenever they change.
        if (phase is not null && run.Night?.ToString() is { } counts && counts != described)
        {
            described = counts;
            phase.Describe(counts);
        }
        if (!run.HasEnded) return;
        if (run.Outcome == RemoteRun.Succeeded && phase is not null)
        {
            AdvanceTo(total);
            phase.Complete();
        }
        Dispose();
    }

    private void AdvanceTo(int count)
    {
        if (phase is null || count <= shown) return;
        phase.Advance(count - shown);
        shown = count;
    }

    public void Dispose()
    {
        phase?.Dispose();
        phase = null;
    }
}
