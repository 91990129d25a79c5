using System.Security.Cryptography;
using System.Text;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Every name of a run, derived only from its inputs, so that a retried or re-delivered step
/// finds and writes the same blobs.
/// </summary>
public static class ReductionNames
{
    /// <summary>
    /// What a run computes: a hash of the input path, its ETag, the configuration and the tile size (32 lowercase hex
    /// digits). The same input version reduced the same way gives the same key, whichever run does it; the metadata
    /// records it, so a night can tell an output that already holds this result (<c>resultKey</c>).
    /// </summary>
    public static string ResultKey(BlobPath input, string inputETag, string canonicalConfigJson, int tileSize) =>
        Hash($"run\n{input}\n{inputETag}\n{canonicalConfigJson}\n{tileSize}");

    /// <summary>
    /// The run id: a hash of the <see cref="ResultKey"/>, the output and the run's owner (32 lowercase hex digits). The
    /// owner is the orchestration instance, so a replayed or retried step finds the same names; an in-process run
    /// (<see cref="TiledReduction"/>) is its own owner with a fresh id. Two runs to one output therefore never share a
    /// name, even when they compute the same result: their work blobs and output block ids (<see cref="OutputBlocks"/>)
    /// are their own.
    /// </summary>
    public static string RunId(string resultKey, BlobPath output, string? owner) => Hash($"run\n{resultKey}\n{output}\n{owner}");

    /// <summary>
    /// A Durable instance id for reducing one version of one blob: duplicate Event Grid deliveries
    /// (same blob, same ETag) map to one instance.
    /// </summary>
    public static string ExposureInstanceId(BlobPath input, string inputETag) => "exposure-" + Hash($"exposure\n{input}\n{inputETag}");

    /// <summary>
    /// The instance id of a reduction asked for by a caller (the HTTP API, or <c>imred submit --connection</c>): one per input
    /// version, configuration (canonical form), output and tile size, so submitting the same work again finds the same instance.
    /// </summary>
    public static string RequestInstanceId(ReductionRequest request, string inputETag)
    {
        ArgumentNullException.ThrowIfNull(request);
        string canonical = Engine.Config.ConfigJson.Serialize(request.Config);
        return "reduction-" + Hash($"run\n{request.Input}\n{inputETag}\n{canonical}\n{request.Output}{request.AuxiliaryKey()}{RunPsf.Key(request.Psf, null)}\n{request.TileSize}");
    }

    /// <summary>
    /// A Durable instance id for a night (a prefix of a container) reduced into an output prefix with a configuration and a
    /// tile size: the same request again is the same night, another configuration is another night. The configuration is
    /// compared in its canonical form (<see cref="Engine.Config.ConfigJson.Serialize"/>), so spacing and key order do not
    /// matter; the exposures in flight (<see cref="Nights.NightRequest.MaxConcurrentExposures"/>) change no result and are
    /// not part of it.
    /// </summary>
    public static string NightInstanceId(Nights.NightRequest night)
    {
        ArgumentNullException.ThrowIfNull(night);
        string config = Engine.Config.ConfigJson.Serialize(night.Config);
        return "night-" + Hash($"night\n{night.Container}\n{night.Prefix}\n{night.OutputContainer}\n{night.OutputPrefix}\n{config}\n{night.TileSize}{RunPsf.Key(night.Psf, null)}{Nights.NightAuxiliary.Key(night.Auxiliary)}");
    }

    /// <summary>
    /// The default output of <paramref name="input"/> under <paramref name="outputPrefix"/>: the input's
    /// name without its .fits/.fit extension, then the reducer's <see cref="IReducer.OutputSuffix"/>
    /// (<c>.fits</c> for an exposure, <c>.psf.fits</c> for <c>coaddPsf</c>, <c>.results.json</c> for <c>none</c>).
    /// </summary>
    public static BlobPath OutputFor(BlobPath input, string outputContainer, string outputPrefix, IReducer reducer)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(reducer);
        string stem = input.Name;
        foreach (string ext in (string[])[".fits", ".fit"])
            if (stem.EndsWith(ext, StringComparison.OrdinalIgnoreCase) && stem.Length > ext.Length) { stem = stem[..^ext.Length]; break; }
        return new BlobPath(outputContainer, (outputPrefix ?? "") + stem + reducer.OutputSuffix);
    }

    /// <summary>
    /// The folder, at the top of an output container, that holds every run's intermediates: one fixed prefix, so the
    /// storage lifecycle rule in infra/ (<c>workBlobRetentionDays</c>) can delete what a crashed run left, and callers'
    /// output names (never starting with '.') cannot reach it.
    /// </summary>
    public const string WorkFolder = ".work/";

    /// <summary>The folder of every run's intermediates for one output: <c>.work/&lt;output&gt;/</c>.</summary>
    public static string WorkPrefix(BlobPath output) => $"{WorkFolder}{output.Name}/";

    /// <summary>The folder of one run's intermediates, <c>.work/&lt;output&gt;/&lt;runId&gt;/</c>: the only one the run deletes.</summary>
    public static string RunWorkPrefix(BlobPath output, string runId) => $"{WorkPrefix(output)}{runId}/";

    /// <summary>The stored plan of a run.</summary>
    public static BlobPath Plan(BlobPath output, string runId) => new(output.Container, $"{RunWorkPrefix(output, runId)}plan.json");

    /// <summary>The output and run a stored plan's path names (the inverse of <see cref="Plan"/>), or null for another path.</summary>
    public static (BlobPath Output, string RunId)? RunOfPlan(BlobPath planPath)
    {
        const string Suffix = "/plan.json";
        string name = planPath.Name;
        if (name.Length <= WorkFolder.Length + Suffix.Length || !name.StartsWith(WorkFolder, StringComparison.Ordinal)
            || !name.EndsWith(Suffix, StringComparison.Ordinal)) return null;
        string folder = name[WorkFolder.Length..^Suffix.Length];
        int slash = folder.LastIndexOf('/');
        return slash <= 0 || slash == folder.Length - 1 ? null : (new BlobPath(planPath.Container, folder[..slash]), folder[(slash + 1)..]);
    }

    /// <summary>
    /// The part of the plan at <paramref name="planPath"/> that tile <paramref name="tile"/> needs
    /// (<see cref="TilePlan"/>), beside the plan: <c>…/&lt;runId&gt;/tile-000000.plan.json</c>.
    /// </summary>
    public static BlobPath TilePlan(BlobPath planPath, int tile)
    {
        ArgumentNullException.ThrowIfNull(planPath);
        int slash = planPath.Name.LastIndexOf('/');
        return new BlobPath(planPath.Container, $"{planPath.Name[..(slash + 1)]}tile-{tile:D6}.plan.json");
    }

    /// <summary>
    /// The record of tile <paramref name="tile"/>'s result (<see cref="TileRecords"/>), beside the plan at
    /// <paramref name="planPath"/>: <c>…/&lt;runId&gt;/tile-000000.result.json</c>.
    /// </summary>
    public static BlobPath TileResult(BlobPath planPath, int tile)
    {
        ArgumentNullException.ThrowIfNull(planPath);
        int slash = planPath.Name.LastIndexOf('/');
        return new BlobPath(planPath.Container, $"{planPath.Name[..(slash + 1)]}tile-{tile:D6}.result.json");
    }

    /// <summary>The per-cell side results (PSFs, values) of one tile.</summary>
    public static BlobPath TileCells(BlobPath output, string runId, int tile) =>
        new(output.Container, $"{RunWorkPrefix(output, runId)}tile-{tile:D6}.cells.json");

    /// <summary>
    /// What the run metadata's name adds to its output's, for every kind of run (in-process, tiled, remote):
    /// <c>out.fits</c> → <c>out.fits.metadata.json</c>, <c>values.json</c> → <c>values.json.metadata.json</c>.
    /// </summary>
    public const string MetadataSuffix = ".metadata.json";

    /// <summary>The metadata JSON written beside the output (<see cref="MetadataSuffix"/>).</summary>
    public static BlobPath Metadata(BlobPath output) => new(output.Container, output.Name + MetadataSuffix);

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
}
