using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Bench;

/// <summary>The command line of a suite that measures activities on one exposure: its size, tile rows, warm runs and stores.</summary>
/// <param name="Size">Edge length of the square exposure in pixels.</param>
/// <param name="TileRows">Rows of one tile.</param>
/// <param name="Runs">Warm runs measured after the cold one.</param>
/// <param name="Stores">Where the input lives: <c>memory</c> (a local folder in /dev/shm) and/or <c>azurite</c>.</param>
internal sealed record ActivityBenchArgs(int Size, int TileRows, int Runs, string[] Stores);

/// <summary>
/// What the activity suites (<c>maptile</c>, <c>whole</c>) share: the job they time (add → average over cells 41 / step 40 /
/// border 8 px, the process suite's), their command line, the worker process each store's runs happen in, and the figures'
/// formatting.
/// </summary>
internal static class ActivityBench
{
    /// <summary>The reduction both suites time.</summary>
    public const string ConfigJson = """{ "cellSizeX": 41, "cellSizeY": 41, "gridStepX": 40, "gridStepY": 40, "borderSizeX": 8, "borderSizeY": 8, "adjustGridOption": "none", "scaleByFwhm": false, "mapper": { "name": "add", "addAmount": 1 }, "reducer": { "reduceOperation": "average" } }""";

    /// <summary>Parses <c>[SIZE] [--tile ROWS] [--runs N] [--stores memory,azurite]</c>; null after printing the error for <paramref name="suite"/>.</summary>
    public static ActivityBenchArgs? Parse(string suite, string[] args, int defaultRuns)
    {
        int size = 4096, tile = 1024, runs = defaultRuns;
        string[] stores = ["memory", "azurite"];
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tile": tile = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                case "--stores": stores = args[++i].Split(','); break;
                default:
                    if (!int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out size) || size <= 0)
                    {
                        Console.Error.WriteLine($"{suite}: error: unknown argument '{args[i]}' (expected SIZE, --tile ROWS, --runs N, --stores memory,azurite)");
                        return null;
                    }
                    break;
            }
        }
        if (stores.FirstOrDefault(s => s is not ("memory" or "azurite")) is { } bad)
        {
            Console.Error.WriteLine($"{suite}: error: --stores {bad}: expected memory and/or azurite");
            return null;
        }
        return new ActivityBenchArgs(size, tile, runs, stores);
    }

    /// <summary>
    /// The frame both suites run their stores in: the <paramref name="size"/>² input written once, then for each store in
    /// turn (<c>memory</c>: a local folder store on tmpfs; <c>azurite</c>: a fresh Azurite) the input uploaded as
    /// <c>bench/input.fits</c> and <paramref name="perStore"/> called with the store's kind, its location (what a child
    /// worker opens) and the store; the temporary folders are deleted and Azurite stopped whatever happens.
    /// </summary>
    public static async Task<List<T>> ForEachStoreAsync<T>(string suite, int size, string[] stores,
        Func<string, string, IBlobStore, BlobPath, Task<T>> perStore)
    {
        string dir = Directory.CreateTempSubdirectory($"imred-{suite}-bench-").FullName;
        string shm = OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", Path.GetFileName(dir)) : Path.Combine(dir, "store");
        try
        {
            string inputFile = Path.Combine(dir, "input.fits");
            WorkflowSuite.WriteInput(size, inputFile);
            var rows = new List<T>();
            var input = new BlobPath("bench", "input.fits");
            foreach (string kind in stores)
            {
                AzuriteServer? azurite = kind == "azurite" ? await AzuriteServer.StartFastestAsync() : null;
                try
                {
                    string location = azurite?.ConnectionString ?? shm;
                    IBlobStore store = azurite is null ? new LocalFolderBlobStore(shm) : new AzureBlobStore(azurite.ConnectionString);
                    await using (FileStream f = File.OpenRead(inputFile)) await store.WriteAsync(input, f, overwrite: true);
                    rows.Add(await perStore(kind, location, store, input));
                }
                finally
                {
                    if (azurite is not null) await azurite.DisposeAsync();
                }
            }
            return rows;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            if (shm.StartsWith("/dev/shm/", StringComparison.Ordinal) && Directory.Exists(shm)) Directory.Delete(shm, recursive: true);
        }
    }

    /// <summary>
    /// Runs <c>SUITE --child ARGS…</c> in a fresh bench process (so its first run is a cold worker's) and returns the JSON
    /// object its last output line holds.
    /// </summary>
    public static Dictionary<string, JsonElement> RunChild(string suite, params string[] childArgs)
    {
        string self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(ActivityBench).Assembly.Location);
        foreach (string a in (string[])[suite, "--child", .. childArgs]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start the {suite} worker");
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"the {suite} worker failed with exit code {p.ExitCode}: {output}");
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last())!;
    }

    /// <summary>A figure of a run, two decimals.</summary>
    public static string F2(JsonElement e, string key) => e.GetProperty(key).GetDouble().ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>A figure of a run, no decimals.</summary>
    public static string F0(JsonElement e, string key) => e.GetProperty(key).GetDouble().ToString("F0", CultureInfo.InvariantCulture);
}
