using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The auxiliary inputs of a workflow run: checked and pinned to a version when the run is planned, then read by each
/// tile for the same rows as its piece of the main input (exposures) or whole (kernels).
/// </summary>
internal static class AuxiliaryBlobs
{
    /// <summary>A kernel file larger than this is refused (kernels are a few KiB; a bigger blob is a mistake, not a kernel).</summary>
    public const long MaxKernelBytes = 64L << 20;

    /// <summary>
    /// Checks the request's auxiliary inputs against the mapper's declarations and the input's box, reading only the
    /// exposures' headers and PSF, and returns them pinned to their current version, in declaration order.
    /// </summary>
    /// <exception cref="AuxiliaryInputException">Missing, not found, undeclared, another box, or no PSF where the mapper needs one.</exception>
    /// <exception cref="FitsException">An auxiliary blob is not a valid exposure or kernel.</exception>
    public static async Task<AuxiliaryBlob[]> PlanAsync(IBlobStore store, IReadOnlyDictionary<string, BlobPath>? given, IMapper mapper, Box fullBox,
        CancellationToken cancellationToken)
    {
        given ??= new Dictionary<string, BlobPath>();
        IReadOnlyList<AuxiliaryInput> declared = mapper.AuxiliaryInputs;
        string name = AuxiliaryData.NameOf(mapper);
        AuxiliaryData.CheckNames(name, declared,
            given.Keys.ToDictionary(n => n, n => declared.FirstOrDefault(d => d.Name == n)?.Kind ?? AuxiliaryKind.Exposure, StringComparer.Ordinal));
        var planned = new List<AuxiliaryBlob>();
        foreach (AuxiliaryInput input in declared)
        {
            if (!given.TryGetValue(input.Name, out BlobPath? path)) continue;
            BlobInfo info;
            try
            {
                info = await store.GetPropertiesAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (BlobNotFoundException)
            {
                // Named as an auxiliary input, so the error says which (a night's pattern may name a template that is not there).
                throw AuxiliaryInputException.NotFound(name, input.Name, path.ToString());
            }
            if (input.Kind == AuxiliaryKind.Exposure)
            {
                ExposureFileInfo header;
                using (var stream = new RangeReadStream(store, path, info.Size))
                    header = await Task.Run(() => PlanStep.ReadInfo(stream, path), cancellationToken).ConfigureAwait(false);
                AuxiliaryData.CheckExposure(name, input, path.ToString(), header.Box, header.Psf is not null, fullBox);
                planned.Add(new AuxiliaryBlob(input.Name, input.Kind, path, info.ETag, info.Size, header.Format));
            }
            else
            {
                _ = await ReadKernelAsync(store, path, info.ETag, info.Size, cancellationToken).ConfigureAwait(false); // refused here, not in every tile
                planned.Add(new AuxiliaryBlob(input.Name, input.Kind, path, info.ETag, info.Size, ExposureFormat.Auto));
            }
        }
        return [.. planned];
    }

    /// <summary>What the run id adds for the auxiliary inputs (empty without any, so such runs keep their ids).</summary>
    public static string Key(IReadOnlyList<AuxiliaryBlob> blobs) => Key(blobs.Select(b => (b.Name, b.Path, b.ETag)));

    /// <summary>
    /// The same from names, blobs and versions, in name order (so a night's resume check, which knows no mapper
    /// declarations, computes the key a plan records).
    /// </summary>
    public static string Key(IEnumerable<(string Name, BlobPath Path, string ETag)> blobs)
    {
        var sorted = blobs.OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
        return sorted.Count == 0 ? "" : "\naux:" + string.Join("\n", sorted.Select(b => $"{b.Name}={b.Path}@{b.ETag}"));
    }

    /// <summary>
    /// Reads the auxiliary inputs of one tile: <paramref name="box"/> of each exposure (the rows of the tile's piece of
    /// the main input) and every kernel, each at its planned version. The caller disposes the result.
    /// </summary>
    /// <returns>The inputs and the bytes read.</returns>
    /// <exception cref="ReductionException">An auxiliary blob changed since the run was planned.</exception>
    public static async Task<(AuxiliaryData Data, long BytesRead)> ReadAsync(IBlobStore store, IReadOnlyList<AuxiliaryBlob> blobs, string runId,
        Box fullBox, Box box, CancellationToken cancellationToken)
    {
        if (blobs.Count == 0) return (AuxiliaryData.None, 0);
        var exposures = new Dictionary<string, Exposure>(StringComparer.Ordinal);
        var kernels = new Dictionary<string, AuxiliaryKernel>(StringComparer.Ordinal);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        long read = 0;
        try
        {
            foreach (AuxiliaryBlob blob in blobs)
            {
                sources[blob.Name] = blob.Path.ToString();
                BlobInfo now = await store.GetPropertiesAsync(blob.Path, cancellationToken).ConfigureAwait(false);
                if (now.ETag != blob.ETag) throw ReductionErrors.InputChanged(blob.Path, runId, blob.ETag, now.ETag);
                if (blob.Kind == AuxiliaryKind.Exposure)
                {
                    var (piece, bytes, _, _) = await new TileInputReader(store)
                        .ReadAsync(blob.Path, blob.ETag, blob.Size, blob.Format, fullBox, box, Box.Empty, cancellationToken).ConfigureAwait(false);
                    exposures[blob.Name] = piece;
                    read += bytes;
                }
                else
                {
                    kernels[blob.Name] = await ReadKernelAsync(store, blob.Path, blob.ETag, blob.Size, cancellationToken).ConfigureAwait(false);
                    read += blob.Size;
                }
            }
        }
        catch
        {
            foreach (Exposure e in exposures.Values) e.Dispose();
            throw;
        }
        return (new AuxiliaryData(exposures, kernels, sources), read);
    }

    private static async Task<AuxiliaryKernel> ReadKernelAsync(IBlobStore store, BlobPath path, string eTag, long size, CancellationToken cancellationToken)
    {
        if (size > MaxKernelBytes)
            throw FitsErrors.InvalidPsf(path.ToString(), 0, $"a kernel file of {size} bytes is larger than the {MaxKernelBytes >> 20} MiB a kernel may take");
        byte[] bytes = new byte[size];
        int n = size == 0 ? 0 : await store.ReadIntoAsync(path, 0, bytes, eTag, cancellationToken).ConfigureAwait(false);
        using var stream = new MemoryStream(bytes, 0, n, writable: false);
        return AuxiliaryKernel.Read(stream, path.ToString());
    }
}
