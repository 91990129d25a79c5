using System.Diagnostics;

namespace ImageReducer.Cli.Progress;

/// <summary><c>--quiet</c>: phases are timed but nothing is shown.</summary>
internal sealed class SilentProgressDisplay : ProgressDisplay
{
    public override Task<T> RunAsync<T>(Func<ProgressDisplay, Task<T>> work) => work(this);

    public override IProgressPhase Begin(string phase, string detail, int? totalCells = null, string unit = "cells") => new Phase();

    private sealed class Phase : IProgressPhase
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        public TimeSpan Elapsed => clock.Elapsed;
        public void Advance(int cells = 1) { }
        public void Complete() => clock.Stop();
        public void Describe(string detail) { }
        public void Dispose() => clock.Stop();
    }
}
