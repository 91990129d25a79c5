using System.Globalization;
using ImageReducer.Functions.Tests.StorageProvider;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Bench;

/// <summary>
/// A night of small exposures on the Durable Task storage provider with every part a real process: Azurite (blob, queue,
/// table), <c>imred worker</c> processes, <c>imred night … --connection … --wait</c>. The CI test's run
/// (<c>ProviderNightTests</c>, 50 exposures) at 2,000 exposures by default, with the same checks.
/// </summary>
/// <remarks>
/// Usage: <c>night-provider [N] [--workers W] [--max-concurrent N]</c>. Needs the CLI built
/// (<c>dotnet build -c Release src/ImageReducer.Cli</c>) and Azurite installed (<c>scripts/install-azurite.sh</c>).
/// Prints wall time and exposure activities per second; exits 1 when an output was written twice, the report is
/// incomplete, a payload went to large-message blobs or a history passed its budget.
/// </remarks>
internal sealed class NightProviderSuite : IBenchmarkSuite
{
    public string Name => "night-provider";
    public string Description => "a night of small exposures (default 2,000) on the storage provider: Azurite + imred worker processes + imred night --wait";

    public int Run(string[] args)
    {
        var options = new ProviderNightOptions(2_000) { Timeout = TimeSpan.FromMinutes(60) };
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workers" when i + 1 < args.Length: options = options with { Workers = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                case "--max-concurrent" when i + 1 < args.Length: options = options with { MaxConcurrentExposures = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                case var n when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0:
                    options = new ProviderNightOptions(count) { Workers = options.Workers, MaxConcurrentExposures = options.MaxConcurrentExposures, Timeout = options.Timeout };
                    break;
                default:
                    Console.Error.WriteLine($"bench night-provider: error: unknown argument '{args[i]}' (usage: night-provider [N] [--workers W] [--max-concurrent N])");
                    return 2;
            }
        }
        string dll = Path.Combine(RepositoryRoot(), "src", "ImageReducer.Cli", "bin", "Release", "net10.0", "ImageReducer.Cli.dll");
        if (!File.Exists(dll))
        {
            Console.Error.WriteLine($"bench night-provider: error: the CLI is not built at {dll} (dotnet build -c Release src/ImageReducer.Cli)");
            return 2;
        }

        Console.WriteLine($"night-provider: {options.Exposures:N0} exposures of {options.Size.Width}×{options.Size.Height} ({options.TilesPerExposure} tiles each, " +
            $"{options.PerVisit} per visit), {options.Workers} imred worker processes, night-wide concurrency {options.MaxConcurrentExposures}; {Environment.ProcessorCount} cores");
        Console.WriteLine($"load average at start: {Machine.Load()}");
        return RunAsync(options, dll).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(ProviderNightOptions options, string dll)
    {
        await using AzuriteServer azurite = await AzuriteServer.StartAllServicesAsync().ConfigureAwait(false);
        ProviderNightResult run = await ProviderNightRun.RunAsync(azurite, dll, options).ConfigureAwait(false);
        Console.WriteLine($"load average at the end: {Machine.Load()}");
        Console.WriteLine();
        Console.WriteLine("| what | value |");
        Console.WriteLine("|---|---:|");
        Row("inputs uploaded", $"{run.Upload.TotalSeconds:F1} s");
        Row("wall, imred night --wait (start → exit)", $"{run.Wall.TotalSeconds:F1} s ({run.Wall.TotalMinutes:F1} min)");
        Row("exposures / s", $"{options.Exposures / run.Wall.TotalSeconds:F2}");
        Row("exposure activities (Plan + tiles + Reduce)", $"{run.ExposureActivities:N0}");
        Row("exposure activities / s", $"{run.ActivitiesPerSecond:F1}");
        if (run.Summary is { } s)
        {
            Row("summary: exposures / succeeded / failed / skipped / batches", $"{s.Exposures:N0} / {s.Succeeded:N0} / {s.Failed:N0} / {s.Skipped:N0} / {s.Batches:N0}");
            Row("summary: wall (orchestration time) / activity-s", $"{s.WallSeconds:F1} s / {s.ActivitySeconds:F1} s");
        }
        Row("report lines / distinct inputs", $"{run.ReportLines:N0} / {run.ReportInputs:N0}");
        Row("outputs seen / written more than once", $"{run.Outputs:N0} / {run.Rewritten.Count:N0}");
        Row("large-message blobs", $"{run.LargeMessages:N0}");
        Row($"longest execution history left in the hub (budget {NightLimits.MaxHistoryEvents:N0})", $"{run.LongestHistory.Rows:N0} rows ({run.LongestHistory.Where})");
        Row($"largest payload in the hub's tables (budget {NightLimits.MaxPayloadBytes:N0} B)", $"{run.LargestPayload.Bytes:N0} B ({run.LargestPayload.Where})");

        var broken = new List<string>();
        if (run.ExitCode != 0) broken.Add($"imred night exited {run.ExitCode}: {run.NightLog.Split('\n').LastOrDefault(l => l.Length > 0)}");
        if (run.Summary is not { } summary || summary.Succeeded != options.Exposures) broken.Add("not every exposure succeeded");
        if (run.ReportLines != options.Exposures || run.ReportInputs != options.Exposures) broken.Add($"report {run.ReportLines}/{run.ReportInputs}");
        if (run.Outputs != options.Exposures) broken.Add($"{run.Outputs} outputs seen");
        if (run.Rewritten.Count > 0) broken.Add($"written twice: {string.Join(", ", run.Rewritten.Take(5))}");
        if (run.LargeMessages > 0) broken.Add($"{run.LargeMessages} large-message blobs");
        if (run.LongestHistory.Rows > NightLimits.MaxHistoryEvents) broken.Add($"history {run.LongestHistory}");
        if (run.LargestPayload.Bytes > NightLimits.MaxPayloadBytes) broken.Add($"payload {run.LargestPayload}");
        Console.WriteLine();
        Console.WriteLine(broken.Count == 0 ? "every output written once; report complete; budgets held" : "BROKEN: " + string.Join("; ", broken));
        return broken.Count == 0 ? 0 : 1;
    }

    private static void Row(string what, string value) => Console.WriteLine($"| {what} | {value} |");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ImageReducer.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("ImageReducer.sln not found above " + AppContext.BaseDirectory);
    }
}
