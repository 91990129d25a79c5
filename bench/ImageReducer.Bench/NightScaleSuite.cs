using System.Globalization;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Tests.NightScale;

namespace ImageReducer.Bench;

/// <summary>
/// A whole night at scale on the in-memory Durable host, orchestration level only: the real night, lane, batch and
/// exposure orchestrations and night steps, with Plan / MapTile / Reduce stubbed (<see cref="StubExposureActivities"/>),
/// the same run as the CI test at 10,000 exposures (<c>NightScaleTests</c>), with the same budgets asserted.
/// </summary>
/// <remarks>
/// Usage: <c>night-scale [N] [--per-visit N] [--max-concurrent N] [--fail-every N] [--concurrency N] [--flow tiled|auto|whole] [--decline-every N]</c>; N defaults to 189,000 (a Rubin night:
/// 1,000 visits × 189 CCDs). Prints wall time, work items per second and the largest payload and longest history of each
/// kind; exits 1 when a budget is broken or the report does not account for every exposure once.
/// </remarks>
internal sealed class NightScaleSuite : IBenchmarkSuite
{
    private const string Usage = "usage: night-scale [EXPOSURES] [--per-visit N] [--max-concurrent N] [--fail-every N] [--concurrency N] [--flow tiled|auto|whole] [--decline-every N]";

    public string Name => "night-scale";
    public string Description => "a whole night (default 189,000 exposures) on the in-memory Durable host with stub reductions: budgets, wall time, work items/s";

    public int Run(string[] args)
    {
        var options = new NightScaleOptions(189_000) { FailEvery = 10_000, Timeout = TimeSpan.FromHours(2) };
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                options = args[i] switch
                {
                    "--per-visit" when i + 1 < args.Length => options with { PerVisit = Number(args[++i]) },
                    "--max-concurrent" when i + 1 < args.Length => options with { MaxConcurrentExposures = Number(args[++i]) },
                    "--fail-every" when i + 1 < args.Length => options with { FailEvery = Number(args[++i]) },
                    // The test host's own dispatch limit is the core count: --concurrency 2 shows what lifting it changes.
                    "--concurrency" when i + 1 < args.Length => options with { Concurrency = Number(args[++i]) },
                    // auto/whole: each exposure one ReduceExposureWhole activity called by its batch (the night's default flow).
                    "--flow" when i + 1 < args.Length => options with { Flow = FlowOf(args[++i]) },
                    "--decline-every" when i + 1 < args.Length => options with { DeclineEvery = Number(args[++i]) },
                    _ when !args[i].StartsWith('-') => new NightScaleOptions(Number(args[i]))
                    {
                        PerVisit = options.PerVisit, MaxConcurrentExposures = options.MaxConcurrentExposures, FailEvery = options.FailEvery,
                        Timeout = options.Timeout, Concurrency = options.Concurrency, Flow = options.Flow, DeclineEvery = options.DeclineEvery,
                    },
                    _ => throw new FormatException($"unknown argument '{args[i]}'"),
                };
            }
            options.Validate();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            Console.Error.WriteLine($"bench night-scale: error: {e.Message} ({Usage})");
            return 2;
        }

        Console.WriteLine($"night-scale: {options.Exposures:N0} exposures ({options.PerVisit} per visit), {options.Tiles} tiles each, stub steps; flow {options.Flow.ToString().ToLowerInvariant()}" +
            (options.DeclineEvery > 0 ? $" (every {options.DeclineEvery:N0}th declined to tiled)" : "") + "; " +
            $"night-wide concurrency {options.MaxConcurrentExposures}; every {options.FailEvery:N0}th fails; backend dispatches {options.Concurrency:N0} work items at once; " +
            $"{Environment.ProcessorCount} cores; .NET {Environment.Version}");
        Console.WriteLine($"load average at start: {Machine.Load()}");
        NightScaleResult run = NightScaleRun.RunAsync(options).GetAwaiter().GetResult();
        MeteredOrchestrationService meter = run.Meter;
        NightSummary s = run.Summary;
        long items = meter.OrchestrationWorkItems + meter.ActivityWorkItems;
        Console.WriteLine($"load average at the end: {Machine.Load()}");
        Console.WriteLine();
        Console.WriteLine("| what | value |");
        Console.WriteLine("|---|---:|");
        Row("setup (inputs written, host started)", $"{run.Setup.TotalSeconds:F1} s");
        Row("wall, night scheduled → completed", $"{run.Wall.TotalSeconds:F1} s ({run.Wall.TotalMinutes:F1} min)");
        Row("exposures / s", $"{s.Exposures / run.Wall.TotalSeconds:F0}");
        Row("orchestration work items (episodes)", $"{meter.OrchestrationWorkItems:N0} ({(double)meter.OrchestrationWorkItems / s.Exposures:F2} per exposure)");
        Row("activity work items", $"{meter.ActivityWorkItems:N0} ({(double)meter.ActivityWorkItems / s.Exposures:F2} per exposure)");
        Row("work items / s", $"{run.WorkItemsPerSecond:F0}");
        Row("summary: exposures / succeeded / failed / skipped / batches", $"{s.Exposures:N0} / {s.Succeeded:N0} / {s.Failed:N0} / {s.Skipped:N0} / {s.Batches:N0}");
        Row("report lines / distinct inputs / failed", $"{run.ReportLines:N0} / {run.ReportInputs:N0} / {run.ReportFailed:N0}");
        Row("longest report line / error", $"{run.LongestReportLine:N0} B / {run.LongestReportError:N0} chars");
        Row("exposure instances left in the hub", $"{run.ExposureInstancesLeft:N0}");
        Console.WriteLine();
        Console.WriteLine($"| payload (budget {NightLimits.MaxPayloadBytes:N0} B) | largest (bytes) | of |");
        Console.WriteLine("|---|---:|---|");
        foreach (PayloadMax p in meter.LargestPayloads.Values.OrderBy(p => p.Kind, StringComparer.Ordinal))
            Console.WriteLine($"| {p.Kind} | {p.Bytes:N0} | {p.Name} |");
        Console.WriteLine();
        Console.WriteLine($"| orchestration | longest execution history (events; budget {NightLimits.MaxHistoryEvents:N0}) |");
        Console.WriteLine("|---|---:|");
        foreach (var (name, events) in meter.LongestHistories.OrderBy(p => p.Key, StringComparer.Ordinal))
            Console.WriteLine($"| {name} | {events:N0} ({meter.ContinuedAsNew.GetValueOrDefault(name):N0} executions continued as new) |");

        int expectedFailed = options.FailEvery == 0 ? 0 : options.Exposures / options.FailEvery;
        var broken = new List<string>();
        if (meter.LargestPayload.Bytes > NightLimits.MaxPayloadBytes) broken.Add($"payload {meter.LargestPayload}");
        if (meter.LongestHistory.Value > NightLimits.MaxHistoryEvents) broken.Add($"history {meter.LongestHistory.Key} {meter.LongestHistory.Value}");
        if ((s.Exposures, s.Succeeded, s.Failed) != (options.Exposures, options.Exposures - expectedFailed, expectedFailed))
            broken.Add($"summary {s.Exposures}/{s.Succeeded}/{s.Failed}");
        if (run.ReportLines != options.Exposures || run.ReportInputs != options.Exposures || run.ReportFailed != expectedFailed)
            broken.Add($"report {run.ReportLines}/{run.ReportInputs}/{run.ReportFailed}");
        if (run.ExposureInstancesLeft != 0) broken.Add($"{run.ExposureInstancesLeft} exposure instances not purged");
        Console.WriteLine();
        Console.WriteLine(broken.Count == 0 ? "budgets held; report and summary complete" : "BROKEN: " + string.Join("; ", broken));
        return broken.Count == 0 ? 0 : 1;
    }

    private static void Row(string what, string value) => Console.WriteLine($"| {what} | {value} |");

    private static ExposureFlow FlowOf(string text) => text switch
    {
        "tiled" => ExposureFlow.Tiled,
        "auto" => ExposureFlow.Auto,
        "whole" => ExposureFlow.Whole,
        _ => throw new FormatException($"--flow '{text}': expected tiled, auto or whole"),
    };

    private static int Number(string text) =>
        int.TryParse(text.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n : throw new FormatException($"'{text}' is not a count");
}
