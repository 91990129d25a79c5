namespace ImageReducer.Cli.Progress;

/// <summary>
/// Shows a command's phases on stderr: a live bar with cells/s and ETA on a terminal, one plain
/// line per phase when stderr is redirected, nothing with <c>--quiet</c>. Never writes to stdout,
/// so <c>--json</c> output stays machine-readable.
/// </summary>
internal abstract class ProgressDisplay
{
    /// <summary>Chooses the display for this process.</summary>
    public static ProgressDisplay Create(bool quiet, TextWriter error) =>
        quiet ? new SilentProgressDisplay()
        : Console.IsErrorRedirected || ReferenceEquals(error, TextWriter.Null) ? new PlainProgressDisplay(error)
        : new TerminalProgressDisplay();

    /// <summary>Runs <paramref name="work"/> while the display is live.</summary>
    public abstract Task<T> RunAsync<T>(Func<ProgressDisplay, Task<T>> work);

    /// <summary>Starts a phase; <paramref name="totalCells"/> gives it a bar, counted in <paramref name="unit"/> (cells, or a remote run's tiles or exposures).</summary>
    public abstract IProgressPhase Begin(string phase, string detail, int? totalCells = null, string unit = "cells");
}
