using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ImageReducer.Cli.Progress;

/// <summary>A terminal on stderr: a Spectre.Console progress display with a bar, cells/s and ETA.</summary>
internal sealed class TerminalProgressDisplay : ProgressDisplay
{
    // Spectre detects interactivity from stdout, which may be redirected (--json > file) while
    // stderr is the terminal this display was chosen for.
    private readonly IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
        Interactive = InteractionSupport.Yes,
        Ansi = AnsiSupport.Detect,
    });

    // Spectre's task state holds value types only; the unit of each bar (cells, tiles, exposures) lives here.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ProgressTask, string> Units = new();

    private ProgressContext? context;

    public override Task<T> RunAsync<T>(Func<ProgressDisplay, Task<T>> work) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new CellRateColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                context = ctx;
                try
                {
                    return await work(this);
                }
                finally
                {
                    context = null;
                }
            });

    public override IProgressPhase Begin(string phase, string detail, int? totalCells = null, string unit = "cells")
    {
        ProgressContext ctx = context ?? throw new InvalidOperationException("Begin is only valid inside RunAsync");
        string label = string.IsNullOrEmpty(detail) ? phase : $"{phase} [grey]{Markup.Escape(detail)}[/]";
        ProgressTask task = ctx.AddTask(label, autoStart: true, maxValue: totalCells ?? 1);
        task.IsIndeterminate = totalCells is null;
        Units.AddOrUpdate(task, unit);
        return new Phase(task, totalCells is null, phase);
    }

    private sealed class Phase(ProgressTask task, bool indeterminate, string name) : IProgressPhase
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        public TimeSpan Elapsed => clock.Elapsed;

        public void Advance(int cells = 1) => task.Increment(cells);

        public void Describe(string detail) => task.Description = string.IsNullOrEmpty(detail) ? name : $"{name} [grey]{Markup.Escape(detail)}[/]";

        public void Complete()
        {
            clock.Stop();
            if (indeterminate) task.IsIndeterminate = false;
            task.Value = task.MaxValue;
            task.StopTask();
        }

        public void Dispose()
        {
            clock.Stop();
            task.StopTask();
        }
    }

    /// <summary>Cells (tiles, exposures) per second of a task (Spectre's transfer-speed column would print bytes).</summary>
    private sealed class CellRateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            task.Speed is double speed && task.MaxValue > 1
                ? new Text(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{speed:0.0} {(Units.TryGetValue(task, out string? unit) ? unit : "cells")}/s"))
                : new Text("");
    }
}
