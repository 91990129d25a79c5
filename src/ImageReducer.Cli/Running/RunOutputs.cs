using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Reduction;

namespace ImageReducer.Cli.Running;

/// <summary>Which files <c>imred run</c> writes, checked against the reduce operation before any work starts.</summary>
/// <param name="Primary">The exposure, PSF or results file.</param>
/// <param name="Metadata">The run metadata JSON.</param>
/// <param name="Kind"><c>exposure</c>, <c>psf</c> or <c>results</c>.</param>
internal sealed record RunOutputs(FileInfo Primary, FileInfo Metadata, string Kind)
{
    /// <exception cref="UsageException">-o / --results do not fit the operation.</exception>
    public static RunOutputs Resolve(IReducer reducer, FileInfo? output, FileInfo? results, FileInfo? metadata)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        string kind = ConfigJson.EnumName(reducer.Output.ToString());
        if (reducer.Output == OutputKind.Results)
        {
            if (results is null)
                throw new UsageException("reducer.reduceOperation=none needs --results FILE.json (the per-cell values)");
            if (output is not null)
                throw new UsageException("-o/--output is not used with reducer.reduceOperation=none; the values go to --results");
            return new RunOutputs(results, metadata ?? MetadataOf(results), kind);
        }
        string op = reducer.Operation.Name;
        if (output is null) throw new UsageException($"-o/--output is required with reducer.reduceOperation={op}");
        if (results is not null) throw new UsageException($"--results is only used with reducer.reduceOperation=none (this run is {op})");
        var primary = output;
        var meta = metadata ?? MetadataOf(primary);
        if (string.Equals(meta.FullName, primary.FullName, StringComparison.Ordinal))
            throw new UsageException($"--metadata {meta.FullName} is the output file itself");
        return new RunOutputs(primary, meta, kind);
    }

    /// <summary>
    /// The default metadata file of <paramref name="primary"/>: its path plus <see cref="ReductionNames.MetadataSuffix"/>, the name a
    /// tiled or remote run gives its metadata too (<c>out.fits.metadata.json</c>, <c>values.json.metadata.json</c>).
    /// </summary>
    public static FileInfo MetadataOf(FileInfo primary) => new(primary.FullName + ReductionNames.MetadataSuffix);
}
