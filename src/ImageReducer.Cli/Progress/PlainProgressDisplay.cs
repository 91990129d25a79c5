using System.Diagnostics;
using System.Globalization;

namespace ImageReducer.Cli.Progress;

/// <summary>Redirected stderr: one line per finished phase, e.g. <c>imred: map 169 cells in 1.23 s (137.4 cells/s)</c> (or tiles, exposures).</summary>
internal sealed class PlainProgressDisplay(TextWriter error) : ProgressDisplay
{
    private readonly object gate = new();

    public override Task<T> RunAsync<T>(Func<ProgressDisplay, Task<T>> work) => work(this);

    public override IProgressPhase Begin(string phase, string detail, int? totalCells = null, string unit = "cells") =>
        new Phase(this, phase, detail, totalCells, unit);

    private void WriteLine(string line)
    {
        lock (gate) error.WriteLine(line);
    }

    private sealed class Phase(PlainProgressDisplay owner, string name, string initialDetail, int? total, string unit) : IProgressPhase
    {
        private string detail = initialDetail;
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private int done;
        private bool disposed;

        public TimeSpan Elapsed => clock.Elapsed;

        public void Advance(int cells = 1) => Interlocked.Add(ref done, cells);

        public void Describe(string text)
        {
            detail = text;
            // No bar to redraw here: each change is a line, with the count so far.
            owner.WriteLine(total is int all
                ? $"imred: {name} {Volatile.Read(ref done)}/{all} {unit}{Suffix(text)}"
                : $"imred: {name}{Suffix(text)}");
        }

        public void Dispose() => clock.Stop();

        public void Complete()
        {
            if (disposed) return;
            disposed = true;
            clock.Stop();
            double s = clock.Elapsed.TotalSeconds;
            string text = total is int
                ? string.Create(CultureInfo.InvariantCulture, $"imred: {name} {done} {unit} in {s:0.00} s ({(s > 0 ? done / s : 0):0.0} {unit}/s){Suffix(detail)}")
                : string.Create(CultureInfo.InvariantCulture, $"imred: {name} {s:0.00} s{Suffix(detail)}");
            owner.WriteLine(text);
        }

        private static string Suffix(string detail) => string.IsNullOrEmpty(detail) ? "" : $" ({detail})";
    }
}
