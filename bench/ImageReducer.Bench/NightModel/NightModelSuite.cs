using System.Globalization;
using ImageReducer.Bench.NightModel;

namespace ImageReducer.Bench;

/// <summary>
/// The Rubin-night model: <see cref="NightSimulator"/> fed with <c>night-model-inputs.json</c> (measured activity costs,
/// the dispatch rate, Flex Consumption limits and prices), predicting wall time and compute cost of a night at 100, 250
/// and 1,000 instances — within the regional vCPU quota, and with the quota raised.
/// </summary>
/// <remarks>Usage: <c>night-model [--inputs FILE.json] [--set NAME=VALUE]… [--instances 100,250,1000]</c>; <c>--set</c> replaces an input
/// (a design variant: <c>--set tilesPerExposure=1</c>). Prints a Markdown table (docs/night-scale.md).</remarks>
internal sealed class NightModelSuite : IBenchmarkSuite
{
    public string Name => "night-model";
    public string Description => "Rubin-night model: simulated wall time and cost at 100/250/1000 instances from night-model-inputs.json";

    public int Run(string[] args)
    {
        string path = NightModelInputs.DefaultPath;
        int[] sizes = [100, 250, 1000];
        var sets = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--inputs" when i + 1 < args.Length: path = args[++i]; break;
                case "--set" when i + 1 < args.Length: sets.Add(args[++i]); break;
                case "--instances" when i + 1 < args.Length:
                    sizes = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                default:
                    Console.Error.WriteLine($"bench night-model: error: unknown argument '{args[i]}' (usage: night-model [--inputs FILE.json] [--set NAME=VALUE]… [--instances 100,250,1000])");
                    return 2;
            }
        }
        NightModelInputs inputs;
        try
        {
            inputs = NightModelInputs.Load(path, sets);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"bench night-model: error: {e.Message}");
            return 2;
        }

        Console.WriteLine($"inputs: {path}{(sets.Count > 0 ? "; variant: " + string.Join(", ", sets) : "")}");
        Console.WriteLine($"{inputs.Exposures:N0} exposures × {inputs.ActivitySecondsPerExposure:F2} activity-s (plan {inputs.PlanSeconds} + {inputs.TilesPerExposure} × tile {inputs.MapTileSeconds} + reduce {inputs.ReduceSeconds}); " +
            $"dispatch {inputs.DispatchPerSecond}/s; {inputs.ActivitiesPerInstance} activit{(inputs.ActivitiesPerInstance == 1 ? "y" : "ies")}/instance; quota {inputs.RegionalCoreQuota} vCPU");
        Console.WriteLine();
        Console.WriteLine("| instances asked | quota | instances used | wall (min) | busy instance-h | compute $ (busy) | $ if none scales in | executions | limit | goal (≤ {0} min, ≤ ${1}) |",
            inputs.GoalWallMinutes, inputs.GoalCostDollars);
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (int asked in sizes)
        {
            foreach (bool quota in (bool[])[true, false])
            {
                int used = NightSimulator.UsableInstances(inputs, asked, quota);
                if (!quota && used == NightSimulator.UsableInstances(inputs, asked, true)) continue; // the quota did not bind: one row
                NightPrediction p = NightSimulator.Run(inputs, used);
                bool meets = p.WallSeconds / 60 <= inputs.GoalWallMinutes && p.ComputeDollars <= inputs.GoalCostDollars;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {asked:N0} | {(quota ? $"{inputs.RegionalCoreQuota} vCPU" : "raised")} | {used:N0} | {p.WallSeconds / 60:F1} | {p.BusyInstanceSeconds / 3600:F0} | {p.ComputeDollars:F2} | {p.AllocatedDollars:F2} | {p.Executions:N0} | {(p.DispatchBound ? "dispatch" : "instances")} | {(meets ? "met" : "not met")} |"));
            }
        }
        return 0;
    }
}
