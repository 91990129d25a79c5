namespace ImageReducer.Cli.Progress;

/// <summary>One phase of a command (read, map, reduce, write) as shown to the user.</summary>
/// <remarks><see cref="Advance"/> is called from worker threads; implementations are thread-safe.</remarks>
internal interface IProgressPhase : IDisposable
{
    /// <summary>Counts <paramref name="cells"/> more cells done (phases with a cell total only).</summary>
    void Advance(int cells = 1);

    /// <summary>Time since the phase began.</summary>
    TimeSpan Elapsed { get; }

    /// <summary>Marks the phase done (shown as finished). A phase disposed without it failed and is not reported as done.</summary>
    void Complete();

    /// <summary>Replaces the phase's detail (a night's batches and failures as they change); a plain display writes it as a line.</summary>
    void Describe(string detail);
}
