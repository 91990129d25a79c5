using System.Text.Json;
using System.Text.Json.Nodes;
using ImageReducer.Cli.Config;
using ImageReducer.Cli.Output;
using ImageReducer.Engine.Config;

namespace ImageReducer.Cli.Running;

/// <summary>
/// At the start of an <c>imred run</c>, prepares on a second thread the JSON contracts and first calls the run
/// needs later on its one start-up thread: the configuration's (built by reflection, its converters compiled
/// at run time), the mapper registry's, and the run metadata's.
/// </summary>
/// <remarks>
/// <para>Why: a fresh process spends ~0.1 s of CPU, one core, on these before the first pixel and ~0.02 s more
/// on the metadata after the last (docs/benchmarks.md, "The whole job"); the other core is idle meanwhile. Measured
/// (4096² run, quiet 2-core VM): the metadata step after the write went from 21 to 2.4 ms. The
/// work itself is the same: System.Text.Json and the runtime cache what is built here, and the main thread,
/// arriving at the same calls, finds them done or waits for the ones in progress (class constructors and
/// the serializer's caches are thread-safe).</para>
/// <para>Nothing here is observable: no configuration is parsed through <see cref="ConfigJson.Deserialize"/>
/// (its parse count stays the run's own), nothing is written, and any failure is ignored — the main thread
/// then meets and reports the same problem on its own path.</para>
/// </remarks>
internal static class StartupWarmup
{
    /// <summary>Starts the warm-up when <paramref name="args"/> is an <c>imred run</c> command line; otherwise does nothing.</summary>
    public static void BeginFor(string[] args)
    {
        if (args.Length == 0 || args[0] != "run") return;
        var thread = new Thread(Prepare) { IsBackground = true, Name = "imred start-up warm-up" };
        thread.Start();
    }

    private static void Prepare()
    {
        try
        {
            // The configuration: its contract, both directions, with every field of the defaults, and a --set value.
            MapReduceConfig defaults = JsonSerializer.Deserialize<MapReduceConfig>(ConfigJson.Serialize(new MapReduceConfig()), ConfigJson.Options)!;
            ConfigKeys.CheckKnown("reducer.reduceOperation", "warm-up");
            _ = ConfigOverride.ParseValue("1");
            // The mapper registry (a reflection scan of the engine's mappers) and the options binder.
            _ = MapReduceSession.Registry.BindOptions(defaults.Mapper);
            // The run metadata, as RunPipeline serialises it after the write.
            _ = CliJson.SerializeToUtf8(new RunMetadata
            {
                Tool = new ToolInfo("imred", CliJson.ToolVersion),
                Input = new FileDigest("", "", "lsst"),
                Config = JsonNode.Parse(ConfigJson.Serialize(defaults))!.AsObject(),
                CellCount = 0,
                Threads = 1,
                Overlap = new OverlapStatistics(0, 0, 0, 0, 0),
                Output = new OutputDigest("", "", "exposure"),
                Timings = new Timings(0, 0, 0, 0, 0),
            });
        }
        catch (Exception)
        {
            // A warm-up only: the run meets (and reports) any real problem on its own path.
        }
    }
}
