using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Workflow.Nights;

/// <summary>The two I/O steps of a night: list its exposures, write its report.</summary>
/// <param name="store">Where the night's exposures and outputs are.</param>
/// <param name="isExposure">Which names are exposures (<see cref="Configuration.ImageReducerOptions.IsExposureName"/>, the blob trigger's rule).</param>
public sealed class NightSteps(IBlobStore store, Func<string, bool> isExposure)
{
    /// <summary>The exposures of the night (blobs under the prefix with an exposure name, in name order) with their outputs.</summary>
    /// <exception cref="ConfigValidationException">The configuration is invalid.</exception>
    public async Task<NightExposure[]> ListAsync(NightRequest night, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(night);
        IReducer reducer = Reducers.Create(ConfigJson.Deserialize(night.ConfigJson).Reducer);
        var found = new List<NightExposure>();
        await foreach (BlobInfo blob in store.ListAsync(night.Container, night.Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (!isExposure(blob.Path.Name)) continue;
            string relative = blob.Path.Name[night.Prefix.Length..];
            BlobPath output = ReductionNames.OutputFor(new BlobPath(blob.Path.Container, relative), night.OutputContainer, night.OutputPrefix, reducer);
            found.Add(new NightExposure(new ReductionRequest(blob.Path, output, night.ConfigJson, night.TileSize), blob.ETag));
        }
        return [.. found];
    }

    /// <summary>Where the report of <paramref name="night"/> goes: <c>&lt;outputPrefix&gt;night-report.json</c>.</summary>
    public static BlobPath ReportPath(NightRequest night) => new(night.OutputContainer, night.OutputPrefix + "night-report.json");

    /// <summary>Writes the report (overwriting the one of an earlier attempt).</summary>
    public async Task<BlobPath> WriteReportAsync(NightReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        BlobPath path = ReportPath(report.Night);
        using var content = new MemoryStream(WorkflowJson.SerializeToUtf8(report), writable: false);
        await store.WriteAsync(path, content, overwrite: true, cancellationToken).ConfigureAwait(false);
        return path;
    }
}
