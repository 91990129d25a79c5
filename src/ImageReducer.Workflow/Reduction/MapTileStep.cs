using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Running;
using ImageReducer.Workflow.Storage;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Maps one tile: reads the tile's input rows (range reads through the engine's FITS region reader),
/// runs the engine's runner on the tile's cells with the same reducer as the in-process run, and
/// stages the tile's band of each plane as blocks of the output blob. Side results (PSFs, values of
/// the cells it owns) go to a small JSON blob; the return value is a few numbers.
/// </summary>
/// <remarks>
/// Memory is bounded by the tile: its input rows, its output band and the runner's reorder window,
/// plus one block buffer. Idempotent: a rerun stages the same block ids with the same bytes and
/// rewrites the same side blob.
/// </remarks>
public sealed class MapTileStep(ReductionServices services)
{
    private static readonly ExposurePlane[] Planes = [ExposurePlane.Image, ExposurePlane.Mask, ExposurePlane.Variance];

    /// <summary>Blocks uploaded at once by one tile (each holds one block buffer of up to <see cref="OutputBlocks.PartBytes"/>).</summary>
    public const int StageConcurrency = 2;

    /// <summary>Maps tile <see cref="TileTask.TileIndex"/> of the stored plan and records its result for the reduce step (<see cref="TileRecords"/>).</summary>
    /// <exception cref="ReductionException">The input changed since planning, or the tile index is not in the plan.</exception>
    public async Task<TileResult> RunAsync(TileTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        TileResult result = await MapAsync(task, cancellationToken).ConfigureAwait(false);
        await TileRecords.WriteAsync(services.Store, task.Plan, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<TileResult> MapAsync(TileTask task, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long baseline = GC.GetTotalMemory(false), peak = 0;
        void Sample() => peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);

        // The tile's own part of the plan: its cells' boxes, not every cell and tile of the run.
        var (plan, planBytes) = await TilePlan.LoadAsync(services.Store, task.Plan, task.TileIndex, cancellationToken).ConfigureAwait(false);
        if (plan.Tile.Index != task.TileIndex)
            throw ReductionErrors.Inconsistent($"the tile plan of tile {task.TileIndex} of {task.Plan} describes tile {plan.Tile.Index}");
        TileSpec tile = plan.Tile;
        MapReduceConfig config = plan.Config;
        bool stitches = plan.Kind == OutputKind.Exposure;
        if (tile.Cells.Length == 0 && !stitches)
            return await WriteCellsAsync(plan, tile, [], new TileResult(tile.Index, [], null, [], 0, 0, planBytes, 0, 0, 0), clock, cancellationToken).ConfigureAwait(false);

        double started = clock.Elapsed.TotalSeconds;
        var (mapped, owned, bytesRead, inputSums, wholeRead) = await ReadAndMapAsync(plan, config, Sample, cancellationToken).ConfigureAwait(false);
        bytesRead += planBytes;
        double read = mapped.ReadSeconds, map = clock.Elapsed.TotalSeconds - started - read;
        // The input piece is released before staging: only the band and a few block buffers remain.
        if (!stitches)
            return await WriteCellsAsync(plan, tile, owned,
                new TileResult(tile.Index, [], null, [], 0, tile.Cells.Length, bytesRead, 0, 0, peak)
                {
                    ReadSeconds = read, MapSeconds = map, InputSums = inputSums, InputReadWhole = wholeRead,
                },
                clock, cancellationToken).ConfigureAwait(false);

        using Exposure band = mapped.Result.Reduced.Exposure ?? throw new InvalidOperationException("A stitching reducer returned no exposure.");
        var (sums, written, parts) = await StageBandAsync(plan, tile, band, cancellationToken).ConfigureAwait(false);
        Sample();
        var result = new TileResult(tile.Index, sums, mapped.Result.Reduced.Overlap, [.. band.Mask.Planes.Planes], parts,
            tile.Cells.Length, bytesRead, written, 0, peak)
        {
            ReadSeconds = read,
            MapSeconds = map,
            StageSeconds = clock.Elapsed.TotalSeconds - started - read - map,
            InputSums = inputSums,
            InputReadWhole = wholeRead,
        };
        return await WriteCellsAsync(plan, tile, owned, result, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the tile's input piece and maps its cells. The piece lives only in this method's frame, so
    /// it can be collected as soon as the fold is done, before the band is staged (a piece read in place
    /// keeps its arrays until nothing refers to it; disposing it does not release them).
    /// </summary>
    private async Task<((MapReduceResult Result, double ReadSeconds) Mapped, OwnedCell[] Owned, long BytesRead, uint[]? InputSums, bool WholeRead)> ReadAndMapAsync(
        TilePlan plan, MapReduceConfig config, Action sample, CancellationToken cancellationToken)
    {
        TileSpec tile = plan.Tile;
        bool stitches = plan.Kind == OutputKind.Exposure;
        IMapper mapper = services.Mappers.Create(config.Mapper);
        var clock = Stopwatch.StartNew();
        var (piece, bytesRead, inputSums, wholeRead) = await ReadPieceAsync(plan, tile.InputBox, cancellationToken).ConfigureAwait(false);
        if (plan.Psf is not null)
        {
            try
            {
                piece.Psf = (await RunPsf.ResolveAsync(services.Store, plan.Psf, plan.PsfKernelETag, piece.Psf, cancellationToken).ConfigureAwait(false)).Psf;
            }
            catch
            {
                piece.Dispose();
                throw;
            }
        }
        AuxiliaryData auxiliary;
        try
        {
            long auxiliaryBytes;
            (auxiliary, auxiliaryBytes) = await AuxiliaryBlobs.ReadAsync(services.Store, plan.Auxiliary, plan.RunId, plan.FullBox, piece.Box, cancellationToken)
                .ConfigureAwait(false);
            bytesRead += auxiliaryBytes;
        }
        catch
        {
            piece.Dispose();
            throw;
        }
        double read = clock.Elapsed.TotalSeconds;
        using (auxiliary)
        using (piece)
        {
            sample();
            var runner = new MapReduceRunner(mapper, config.Reducer, services.Engine);
            Grid grid = plan.ToGrid();
            MapReduceResult mapped = await Task.Run(
                () => runner.RunPart(piece, grid, new GridPart(tile.Cells, plan.FullBox, stitches ? tile.Region : tile.InputBox), cancellationToken: cancellationToken,
                    auxiliary: auxiliary),
                cancellationToken).ConfigureAwait(false);
            sample();
            return ((mapped, read), SideResults(plan, tile, piece, mapped), bytesRead, inputSums, wholeRead);
        }
    }

    /// <summary>Reads <paramref name="box"/> of the input (all planes, PSF, WCS, metadata) with range reads.</summary>
    private async Task<(Exposure Piece, long BytesRead, uint[]? Sums, bool WholeRead)> ReadPieceAsync(TilePlan plan, Box box, CancellationToken cancellationToken)
    {
        IBlobStore store = services.Store;
        BlobInfo now = await store.GetPropertiesAsync(plan.Input, cancellationToken).ConfigureAwait(false);
        if (now.ETag != plan.InputETag)
            throw ReductionErrors.InputChanged(plan.Input, plan.RunId, plan.InputETag, now.ETag);
        return await new TileInputReader(store).ReadAsync(plan.Input, plan.InputETag, now.Size, plan.InputFormat, plan.FullBox, box, plan.Tile.Region, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Stages the band's rows of the three planes as blocks, <see cref="StageConcurrency"/> at a time;
    /// returns each plane's checksum, the bytes staged and the blocks per plane.
    /// </summary>
    private async Task<(uint[] Sums, long Bytes, int Parts)> StageBandAsync(TilePlan plan, TileSpec tile, Exposure band,
        CancellationToken cancellationToken)
    {
        long rowBytes = band.Width * 4L; // every plane is 4 bytes a pixel
        int rowsPerPart = OutputBlocks.RowsPerPart(rowBytes);
        int parts = (band.Height + rowsPerPart - 1) / rowsPerPart;
        var sums = new FitsChecksum[Planes.Length * parts];
        long firstRowOffset = ((long)tile.Region.MinY - plan.FullBox.MinY) * rowBytes;
        await Parallel.ForAsync(0, sums.Length, new ParallelOptions { MaxDegreeOfParallelism = StageConcurrency, CancellationToken = cancellationToken },
            async (job, ct) =>
            {
                int plane = job / parts, part = job % parts;
                int first = part * rowsPerPart, rows = Math.Min(rowsPerPart, band.Height - first);
                int length = checked((int)(rows * rowBytes));
                byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    using (var encoder = new MemoryStream(buffer, 0, length, writable: true))
                    {
                        switch (Planes[plane])
                        {
                            case ExposurePlane.Image: FitsWriter.WriteRows(encoder, band.Image, first, rows); break;
                            case ExposurePlane.Mask: FitsWriter.WriteRows(encoder, band.Mask.Pixels, first, rows); break;
                            default: FitsWriter.WriteRows(encoder, band.Variance, first, rows); break;
                        }
                    }
                    sums[job] = FitsChecksum.Zero.Add(buffer.AsSpan(0, length), firstRowOffset + first * rowBytes);
                    using var content = new MemoryStream(buffer, 0, length, writable: false, publiclyVisible: true); // lets the store hash it in place
                    await services.Store.StageBlockAsync(plan.Output, OutputBlocks.Data(plan.RunId, 1 + plane, tile.Index, part), content, ct).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }).ConfigureAwait(false);
        var planeSums = new uint[Planes.Length];
        for (int p = 0; p < Planes.Length; p++)
        {
            var sum = FitsChecksum.Zero;
            for (int k = 0; k < parts; k++) sum += sums[p * parts + k];
            planeSums[p] = sum.Value;
        }
        return (planeSums, Planes.Length * band.Height * rowBytes, parts);
    }

    /// <summary>The PSFs or values of the cells this tile owns, from the part's result.</summary>
    private static OwnedCell[] SideResults(TilePlan plan, TileSpec tile, Exposure piece, MapReduceResult mapped)
    {
        var position = new Dictionary<int, int>(tile.Cells.Length);
        for (int k = 0; k < tile.Cells.Length; k++) position[tile.Cells[k]] = k;
        var owned = new List<OwnedCell>(tile.OwnedCells.Length);
        if (plan.Kind == OutputKind.Results)
        {
            var results = mapped.Reduced.Results ?? throw new InvalidOperationException("reduceOperation none returned no results.");
            try
            {
                foreach (int i in tile.OwnedCells)
                {
                    object? value = CellResultValue.Of(results[position[i]]);
                    owned.Add(new OwnedCell(i, null, null, value is null ? null : JsonSerializer.SerializeToElement(value, WorkflowJson.Options)));
                }
            }
            finally
            {
                foreach (var r in results)
                    if (r is ExposureResult { SubExposure: { } sub } && !ReferenceEquals(sub.MaskedImage, piece.MaskedImage)) sub.Dispose();
            }
            return [.. owned];
        }
        // Only a reducer whose output PSF combines the results' PSFs needs them (copy keeps the input PSF).
        if (plan.Reducer.PsfRule != PsfRule.CoaddOfResults || mapped.Reduced.Psf is not CoaddPsf coadd)
            return [];
        foreach (int i in tile.OwnedCells)
        {
            CoaddPsfComponent c = coadd.Components[position[i]];
            string psf = ReferenceEquals(c.Psf, piece.Psf) ? TileCells.InputPsf : EncodePsf(c.Psf);
            owned.Add(new OwnedCell(i, c.Box, psf, null));
        }
        return [.. owned];
    }

    private static string EncodePsf(Psf psf)
    {
        using var buffer = new MemoryStream();
        PsfFits.Write(psf, buffer);
        return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private async Task<TileResult> WriteCellsAsync(TilePlan plan, TileSpec tile, OwnedCell[] owned, TileResult result,
        Stopwatch clock, CancellationToken cancellationToken)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new TileCells(plan.RunId, tile.Index, owned), WorkflowJson.CompactOptions);
        using (var content = new MemoryStream(json, writable: false))
            await services.Store.WriteAsync(ReductionNames.TileCells(plan.Output, plan.RunId, tile.Index), content, overwrite: true, cancellationToken)
                .ConfigureAwait(false);
        return result with { BytesWritten = result.BytesWritten + json.Length, Seconds = clock.Elapsed.TotalSeconds };
    }
}
