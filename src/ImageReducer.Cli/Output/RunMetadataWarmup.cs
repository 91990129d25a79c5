using System.Text.Json.Nodes;
using ImageReducer.Engine.Config;

namespace ImageReducer.Cli.Output;

/// <summary>
/// Prepares the run metadata's JSON serialisation (its contract, built by reflection, and the serializer's first calls,
/// compiled at run time) ahead of the real one, on a core that would otherwise wait.
/// </summary>
/// <remarks>
/// <para>Why: in a fresh process the first <see cref="CliJson.SerializeToUtf8{T}"/> of a <see cref="RunMetadata"/> took
/// ~21 ms of CPU on the run's serial tail, after the write. <c>imred run</c> gives this to its staged outputs as the work
/// beside the output's disk flush and digest tail (<see cref="StagedOutputs.WhileFlushing"/>), when one core waits on
/// the disk; the real serialisation then takes ~2 ms (4096² run, quiet 2-core VM). At start-up it bought nothing: the
/// input's SHA-256 already fills the second core there. Since the contract is generated at build time
/// (<see cref="CliJsonContext"/>), what is left to prepare is the serializer's own first calls (60 fewer methods compiled).</para>
/// <para>Nothing is written and any failure is ignored: the run meets and reports a real problem on its own path.</para>
/// </remarks>
internal static class RunMetadataWarmup
{
    /// <summary>Serialises a metadata record shaped like a run's (every member set) and discards it.</summary>
    public static void Prepare()
    {
        try
        {
            _ = CliJson.SerializeToUtf8(new RunMetadata
            {
                Tool = new ToolInfo("imred", CliJson.ToolVersion),
                Input = new FileDigest("", "", "lsst"),
                Config = JsonNode.Parse(ConfigJson.Serialize(new MapReduceConfig()))!.AsObject(),
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
