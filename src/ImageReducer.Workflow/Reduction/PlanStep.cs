using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Plans a run: reads the input's headers and PSF (range reads, never the pixels), checks the
/// limits, builds the grid, cuts the output into bands of <see cref="ReductionRequest.TileSize"/>
/// rows and decides which cells each band computes, then stores the plan as a blob.
/// </summary>
/// <remarks>
/// <para>A tile owns output rows R and maps every cell whose expanded box meets R (a cell's result
/// lies inside its expanded box), in grid order, so its fold of R is the same per-pixel fold as the
/// in-process run: byte-identical rows whatever the tile size. Cells near a band edge are mapped by
/// two tiles (mappers are deterministic functions of their views, index and full box). For
/// <c>none</c> and <c>coaddPsf</c> nothing is stitched, so a tile maps only the cells it owns.</para>
/// <para>Idempotent: the plan's name and bytes depend only on the request and the input's version.</para>
/// </remarks>
public sealed class PlanStep(ReductionServices services)
{
    /// <summary>Plans <paramref name="request"/> and stores the plan.</summary>
    /// <exception cref="ReductionException">A limit is exceeded or the tile size is invalid.</exception>
    /// <exception cref="FitsException">The input is not a readable exposure.</exception>
    /// <exception cref="ConfigValidationException">The configuration is invalid.</exception>
    public async Task<(ReductionPlan Plan, PlanSummary Summary)> RunAsync(ReductionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TileSize < 1) throw ReductionErrors.TileSize(request.TileSize);
        MapReduceConfig config = (request.Config ?? throw new ArgumentException("the request has no configuration", nameof(request))).Validate();
        IMapper mapper = services.Mappers.Create(config.Mapper); // an unknown mapper or bad option fails here, before any tile runs
        string canonical = ConfigJson.Serialize(config);
        IBlobStore store = services.Store;

        BlobInfo input = await store.GetPropertiesAsync(request.Input, cancellationToken).ConfigureAwait(false);
        ExposureFileInfo info;
        InputPlaneChecksum[] inputChecksums;
        string[] warnings;
        long bytesRead, paddingBytes = 0;
        using (var stream = new RangeReadStream(store, request.Input, input.Size))
        {
            // Padding is read with exact ranges (a few bytes each), not through the stream's 16 KiB buffer.
            byte[] ReadRange(long offset, int length)
            {
                byte[] bytes = store.ReadRangeAsync(request.Input, offset, length, cancellationToken).GetAwaiter().GetResult();
                paddingBytes += bytes.Length;
                return bytes;
            }
            (info, inputChecksums, warnings) = await Task.Run(() =>
            {
                using var reader = new FitsReader(stream, FitsReadOptions.Default, request.Input.ToString(), leaveOpen: true);
                ExposureFileInfo read = ExposureFits.ReadInfo(reader);
                return (read, read.Format == ExposureFormat.Lsst ? ReadPlaneChecksums(reader, ReadRange) : [],
                    reader.Warnings.Select(w => w.Message).ToArray());
            }, cancellationToken).ConfigureAwait(false);
            bytesRead = stream.BytesFetched + paddingBytes;
        }

        WorkflowLimits limits = services.Limits;
        if (info.Box.Area > limits.MaxPixels)
            throw ReductionErrors.MaxPixels(request.Input, info.Box, limits.MaxPixels);
        int tileCount = (int)Math.Min(int.MaxValue, (info.Box.Height + (long)request.TileSize - 1) / request.TileSize);
        if (tileCount > limits.MaxTiles)
            throw ReductionErrors.MaxTiles(request.Input, request.TileSize, info.Box.Height, tileCount, limits.MaxTiles);
        // The caller's PSF (a spec) replaces the stored one, as imred run --psf does in-process.
        var (psf, psfKernelETag) = await RunPsf.ResolveAsync(store, request.Psf, null, info.Psf, cancellationToken).ConfigureAwait(false);
        Grid grid;
        try
        {
            grid = GridBuilder.Build(info.Box, psf, config, limits.MaxCells);
        }
        catch (GridTooLargeException e)
        {
            throw ReductionErrors.MaxCells(request.Input, e.Message, limits.MaxCells);
        }

        AuxiliaryBlob[] auxiliary = await AuxiliaryBlobs.PlanAsync(store, request.Auxiliary, mapper, info.Box, cancellationToken).ConfigureAwait(false);
        string resultKey = ReductionNames.ResultKey(request.Input, input.ETag, canonical + AuxiliaryBlobs.Key(auxiliary) + RunPsf.Key(request.Psf, psfKernelETag), request.TileSize);
        string runId = ReductionNames.RunId(resultKey, request.Output, request.InstanceId);
        string? outputETag = await CurrentETagAsync(store, request.Output, cancellationToken).ConfigureAwait(false);
        OutputKind kind = Reducers.Create(config.Reducer).Output;
        var tiles = CutTiles(info.Box, grid, request.TileSize, stitches: kind == OutputKind.Exposure);
        var plan = new ReductionPlan(runId, request.Input, input.ETag, info.Format, request.Output, kind, config, request.TileSize,
            info.Box, [.. grid.Cells], [.. grid.ExpandedCells], grid.Fwhm, tiles)
        {
            InputChecksums = inputChecksums, InputWarnings = warnings, Auxiliary = auxiliary, Psf = request.Psf, PsfKernelETag = psfKernelETag,
            OutputETag = outputETag, ResultKey = resultKey,
        };

        BlobPath planPath = ReductionNames.Plan(request.Output, runId);
        // Each tile reads only its own part (a few cells' boxes), not the whole plan.
        await Parallel.ForAsync(0, tiles.Length, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (t, ct) =>
            {
                byte[] json = JsonSerializer.SerializeToUtf8Bytes(TilePlan.Of(plan, t), WorkflowJson.CompactOptions);
                using var content = new MemoryStream(json, writable: false);
                await store.WriteAsync(ReductionNames.TilePlan(planPath, t), content, overwrite: true, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        using (var content = new MemoryStream(WorkflowJson.SerializeToUtf8(plan), writable: false))
            await store.WriteAsync(planPath, content, overwrite: true, cancellationToken).ConfigureAwait(false);
        return (plan, new PlanSummary(runId, planPath, tiles.Length, grid.Count, bytesRead) { InputWarnings = ErrorText.Cap(warnings) });
    }

    /// <summary>The ETag of <paramref name="path"/>, or null when there is no such blob.</summary>
    internal static async Task<string?> CurrentETagAsync(IBlobStore store, BlobPath path, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.GetPropertiesAsync(path, cancellationToken).ConfigureAwait(false)).ETag;
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Headers, PSF, WCS and metadata of an exposure blob, through a range-reading stream.</summary>
    internal static ExposureFileInfo ReadInfo(Stream stream, BlobPath path)
    {
        using var reader = new FitsReader(stream, FitsReadOptions.Default, path.ToString(), leaveOpen: true);
        return ExposureFits.ReadInfo(reader);
    }

    /// <summary>
    /// The DATASUM/CHECKSUM records of an LSST exposure's IMAGE, MASK and VARIANCE: the cards (a DATASUM
    /// that does not parse fails here, as the engine's whole-plane read would), the header's own sum, and
    /// the sum of the padding after each data unit (one small range read each).
    /// </summary>
    /// <exception cref="FitsFormatException">A DATASUM card is not an unsigned 32-bit integer (<see cref="FitsErrorCategory.BadCard"/>).</exception>
    /// <param name="reader">The input's FITS reader (headers scanned).</param>
    /// <param name="readRange">Reads (offset, length) of the input; may return fewer bytes at its end.</param>
    internal static InputPlaneChecksum[] ReadPlaneChecksums(FitsReader reader, Func<long, int, byte[]> readRange)
    {
        string[] names = ["IMAGE", "MASK", "VARIANCE"];
        var planes = new List<InputPlaneChecksum>(names.Length);
        for (int p = 0; p < names.Length; p++)
        {
            if (reader.Find(names[p]) is not { } hdu) continue;
            int ds = hdu.Header.IndexOf("DATASUM"), cs = hdu.Header.IndexOf("CHECKSUM");
            string? declared = null;
            uint? expected = null;
            if (ds >= 0)
            {
                var card = hdu.Header[ds];
                declared = card.Value switch
                {
                    string s => s.Trim(),
                    long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => throw FitsErrors.MalformedCard(reader.FileName, hdu.Index, ds, "DATASUM", $"DATASUM must be a string of digits, found {card.Kind}"),
                };
                if (!uint.TryParse(declared, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint value))
                    throw FitsErrors.MalformedCard(reader.FileName, hdu.Index, ds, "DATASUM", $"DATASUM = '{declared}' is not an unsigned 32-bit integer");
                expected = value;
            }
            var paddingSum = FitsChecksum.Zero;
            int pad = (int)(hdu.PaddedDataLength - hdu.DataLength);
            if ((ds >= 0 || cs >= 0) && pad > 0)
                paddingSum = paddingSum.Add(readRange(hdu.DataOffset + hdu.DataLength, pad), hdu.DataLength);
            planes.Add(new InputPlaneChecksum(p, hdu.Index, names[p], declared, ds >= 0 ? ds : null, expected, cs >= 0 ? cs : null,
                hdu.HeaderChecksum.Value, paddingSum.Value));
        }
        return [.. planes];
    }

    /// <summary>Reads a stored plan.</summary>
    public static async Task<ReductionPlan> LoadAsync(IBlobStore store, BlobPath planPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return WorkflowJson.Deserialize<ReductionPlan>(await store.ReadAllAsync(planPath, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Cuts <paramref name="box"/> into bands and assigns cells (see the type's remarks).</summary>
    public static TileSpec[] CutTiles(Box box, Grid grid, int tileSize, bool stitches)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tileSize);
        int count = (int)((box.Height + (long)tileSize - 1) / tileSize);
        var computed = new List<int>[count];
        var owned = new List<int>[count];
        for (int t = 0; t < count; t++) (computed[t], owned[t]) = ([], []);
        int TileOf(int y) => (int)(((long)y - box.MinY) / tileSize);
        for (int i = 0; i < grid.Count; i++)
        {
            int owner = TileOf(grid.Cells[i].MinY);
            owned[owner].Add(i);
            if (!stitches)
            {
                computed[owner].Add(i);
                continue;
            }
            Box e = grid.ExpandedCells[i];
            for (int t = TileOf(e.MinY); t <= TileOf(e.MaxY); t++) computed[t].Add(i);
        }
        var tiles = new TileSpec[count];
        for (int t = 0; t < count; t++)
        {
            int minY = box.MinY + t * tileSize;
            Box region = Box.FromMinMax(box.MinX, minY, box.MaxX, (int)Math.Min(box.MaxY, (long)minY + tileSize - 1));
            Box input = stitches ? region : Box.Empty;
            foreach (int i in computed[t]) input = input.Include(grid.ExpandedCells[i]);
            tiles[t] = new TileSpec(t, region, input, [.. computed[t]], [.. owned[t]]);
        }
        return tiles;
    }
}
