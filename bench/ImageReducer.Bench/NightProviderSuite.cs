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
/// Usage: <c>night-provider [N] [--workers W] [--max-concurrent N] [--max-activities N] [--flow auto|whole|tiled] [--azurite one|split] [--worker-polling DURATION]
/// [--night-poll DURATION] [--watch DURATION]</c>. <c>--azurite split</c> (the default) runs Azurite's blob, queue and table
/// services as three processes (<see cref="SplitAzurite"/>), <c>one</c> as one process. Needs the CLI built
/// (<c>dotnet build -c Release src/ImageReducer.Cli</c>) and Azurite installed (<c>scripts/install-azurite.sh</c>).
/// Prints wall time, exposures, activities and work items per second, the CPU time of each Azurite and worker process; exits 1
/// when an output was written twice, the report is incomplete, a payload went to large-message blobs or a history passed its budget.
/// </remarks>
internal sealed class NightProviderSuite : IBenchmarkSuite
{
    public string Name => "night-provider";
    public string Description => "a night of small exposures (default 2,000) on the storage provider: Azurite + imred worker processes + imred night --wait";

    private const string Usage = "night-provider [N] [--workers W] [--max-concurrent N] [--max-activities N] [--flow auto|whole|tiled] [--azurite one|split] [--worker-polling DURATION] [--night-poll DURATION] [--watch DURATION]";

    public int Run(string[] args)
    {
        // A large night: the workers back off to 1 s on an idle queue (their default) and the outputs are listed every 10 s,
        // so that neither the pollers nor the bench's own listings load the emulator more as the night grows.
        var options = new ProviderNightOptions(2_000)
        {
            Timeout = TimeSpan.FromMinutes(60), WorkerPollingInterval = TimeSpan.FromSeconds(1), NightPollInterval = TimeSpan.FromSeconds(2),
            WatchInterval = TimeSpan.FromSeconds(10), CountWorkItems = true,
        };
        bool split = true;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workers" when i + 1 < args.Length: options = options with { Workers = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                case "--max-activities" when i + 1 < args.Length: options = options with { WorkerMaxActivities = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                case "--max-concurrent" when i + 1 < args.Length: options = options with { MaxConcurrentExposures = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                case "--flow" when i + 1 < args.Length && args[i + 1] is "auto" or "whole" or "tiled": options = options with { Flow = args[++i] }; break;
                case "--azurite" when i + 1 < args.Length && args[i + 1] is "one" or "split": split = args[++i] == "split"; break;
                case "--worker-polling" when i + 1 < args.Length && TryDuration(args[i + 1], out TimeSpan polling):
                    options = options with { WorkerPollingInterval = polling };
                    i++;
                    break;
                case "--night-poll" when i + 1 < args.Length && TryDuration(args[i + 1], out TimeSpan poll):
                    options = options with { NightPollInterval = poll };
                    i++;
                    break;
                case "--watch" when i + 1 < args.Length && TryDuration(args[i + 1], out TimeSpan watch):
                    options = options with { WatchInterval = watch };
                    i++;
                    break;
                case var n when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0:
                    options = options with { Exposures = count };
                    break;
                default:
                    Console.Error.WriteLine($"bench night-provider: error: unknown or incomplete argument '{args[i]}' (usage: {Usage})");
                    return 2;
            }
        }
        string dll = Path.Combine(RepositoryRoot(), "src", "ImageReducer.Cli", "bin", "Release", "net10.0", "ImageReducer.Cli.dll");
        if (!File.Exists(dll))
        {
            Console.Error.WriteLine($"bench night-provider: error: the CLI is not built at {dll} (dotnet build -c Release src/ImageReducer.Cli)");
            return 2;
        }

        Console.WriteLine($"night-provider: {options.Exposures:N0} exposures of {options.Size.Width}×{options.Size.Height} (flow {options.Flow ?? "auto (the night's default)"}; " +
            $"{(options.Tiled ? $"{options.TilesPerExposure} tiles each" : "one activity each")}, " +
            $"{options.PerVisit} per visit), {options.Workers} imred worker processes (polling ≤ {options.WorkerPollingInterval.TotalSeconds:0.###} s, " +
            $"{(options.WorkerMaxActivities is int max ? max.ToString(CultureInfo.InvariantCulture) : "default")} activities at once each), " +
            $"night-wide concurrency {options.MaxConcurrentExposures}, Azurite {(split ? "blob, queue and table as three processes" : "in one process")}, " +
            $"outputs listed every {options.WatchInterval.TotalSeconds:0.###} s, progress read every {options.NightPollInterval.TotalSeconds:0.###} s; {Environment.ProcessorCount} cores");
        Console.WriteLine($"load average at start: {Machine.Load()}");
        return RunAsync(options, dll, split).GetAwaiter().GetResult();
    }

    private static bool TryDuration(string text, out TimeSpan value)
    {
        value = default;
        double factor = text.EndsWith("ms", StringComparison.Ordinal) ? 0.001 : text.EndsWith('s') ? 1 : text.EndsWith('m') ? 60 : double.NaN;
        string number = text.TrimEnd('m', 's');
        if (double.IsNaN(factor) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || amount <= 0) return false;
        value = TimeSpan.FromSeconds(amount * factor);
        return true;
    }

    private static async Task<int> RunAsync(ProviderNightOptions options, string dll, bool split)
    {
        SplitAzurite? services = null;
        AzuriteServer? single = null;
        try
        {
            if (split) services = await SplitAzurite.StartAsync().ConfigureAwait(false);
            else single = await AzuriteServer.StartAllServicesAsync().ConfigureAwait(false);
            IReadOnlyList<(string Service, AzuriteServer Server)> processes = services?.Processes ?? [("blob+queue+table", single!)];
            double[] cpuBefore = [.. processes.Select(p => CpuSeconds(p.Server.ProcessId))];
            ProviderNightResult run = await ProviderNightRun.RunAsync(services?.ConnectionString ?? single!.ConnectionString, dll, options).ConfigureAwait(false);
            double[] cpuAfter = [.. processes.Select(p => CpuSeconds(p.Server.ProcessId))];
            string azuriteCpu = string.Join(", ", processes.Select((p, i) =>
                $"{p.Service} {cpuAfter[i] - cpuBefore[i]:F0} s ({(cpuAfter[i] - cpuBefore[i]) / (run.Upload + run.Wall).TotalSeconds * 100:F0} %)"));
            return Report(options, run, azuriteCpu);
        }
        finally
        {
            if (services is not null) await services.DisposeAsync().ConfigureAwait(false);
            if (single is not null) await single.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>User + system CPU seconds of a process so far (<c>/proc/PID/stat</c>), NaN where unknown.</summary>
    private static double CpuSeconds(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat")) return double.NaN;
        string[] f = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Trim().Split(' ');
        return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static int Report(ProviderNightOptions options, ProviderNightResult run, string azuriteCpu)
    {
        Console.WriteLine($"load average at the end: {Machine.Load()}");
        Console.WriteLine();
        Console.WriteLine("| what | value |");
        Console.WriteLine("|---|---:|");
        Row("inputs uploaded", $"{run.Upload.TotalSeconds:F1} s");
        Row("wall, imred night --wait (start → exit)", $"{run.Wall.TotalSeconds:F1} s ({run.Wall.TotalMinutes:F1} min)");
        Row("exposures / s", $"{options.Exposures / run.Wall.TotalSeconds:F2}");
        Row(options.Tiled ? "exposure activities (Plan + tiles + Reduce)" : "exposure activities (ReduceExposureWhole, one each)", $"{run.ExposureActivities:N0}");
        Row("exposure activities / s", $"{run.ActivitiesPerSecond:F1}");
        if (run.WorkItems is var (episodes, activities))
        {
            Row("work items executed: orchestration episodes + activities (workers' log)", $"{episodes:N0} + {activities:N0} = {episodes + activities:N0}");
            Row("activities / s, work items / s", $"{activities / run.Wall.TotalSeconds:F1}, {(episodes + activities) / run.Wall.TotalSeconds:F1}");
        }
        Row("Azurite CPU (upload + night; % of one core)", azuriteCpu);
        Row("imred worker CPU", string.Join(", ", (run.WorkerCpu ?? []).Select(c => $"{c.TotalSeconds:F0} s")));
        Row("rows left in the hub: History / Instances", $"{run.HubRows.History:N0} / {run.HubRows.Instances:N0}");
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
