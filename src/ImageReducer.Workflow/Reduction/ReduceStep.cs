using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Finishes a run: builds the output's headers with the engine's exposure layout (DATASUM from the
/// tiles' partial sums), stages them with the padding and the PSF table, and commits the block list
/// in file order — one atomic commit of bytes the tiles already uploaded, so no pixel is downloaded
/// or moved. PSF and results outputs are assembled from the tiles' side results. Then it writes
/// the metadata JSON and deletes the run's intermediates.
/// </summary>
/// <remarks>
/// <para>Idempotent: a second run finds the metadata of the same run and returns; if a crash came between
/// the commit and the metadata, it recognises the committed output by its header bytes (which hold
/// every DATASUM and CHECKSUM).</para>
/// <para>Concurrent runs to one output never mix: each commits only its own run's blocks
/// (<see cref="OutputBlocks"/>), only over the output version it planned against
/// (<see cref="ReductionPlan.OutputETag"/>), and writes the metadata only while the output is still its own. The first
/// to commit wins; the others fail with <see cref="Engine.Errors.ErrorCodes.OutputChanged"/> and remove their own work
/// blobs and staged blocks (docs/functions.md, "Concurrent runs").</para>
/// </remarks>
public sealed class ReduceStep(ReductionServices services)
{
    private static readonly string[] PlaneNames = ["IMAGE", "MASK", "VARIANCE"];

    /// <summary>Reduces the tiles of <see cref="ReduceTask.Plan"/>.</summary>
    /// <exception cref="ReductionException">The tiles are inconsistent with the plan or with each other.</exception>
    public async Task<ReductionSummary> RunAsync(ReduceTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var clock = Stopwatch.StartNew();
        IBlobStore store = services.Store;
        ReductionPlan plan;
        try
        {
            plan = await PlanStep.LoadAsync(store, task.Plan, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobNotFoundException)
        {
            // A Reduce delivered again after the attempt that published the output had removed the run's intermediates (the
            // plan among them) — its worker died before the activity's completion was recorded: the output's metadata names
            // this run, so this attempt's answer is that attempt's.
            if (await PublishedAsync(task.Plan, cancellationToken).ConfigureAwait(false) is { } published) return published;
            throw;
        }
        var (tiles, recordBytes) = await TileRecords.ReadAllAsync(store, task.Plan, plan.Tiles.Length, cancellationToken).ConfigureAwait(false);
        ErrorInfo? failure = task.TileCount == plan.Tiles.Length ? CheckTiles(tiles)
            : DomainErrors.Describe(ReductionErrors.Inconsistent($"the plan has {plan.Tiles.Length} tiles, the task {task.TileCount}"));
        if (failure is not null)
        {
            // Nothing is published; the plan, side results and the blocks the other tiles staged go.
            await DiscardAsync(plan, cancellationToken).ConfigureAwait(false);
            return ReductionSummary.Failed(plan.RunId, plan.Input, failure, plan.Tiles.Length, plan.Cells.Length);
        }

        BlobPath metadataPath = ReductionNames.Metadata(plan.Output);
        if (await ReadMetadataAsync(metadataPath, cancellationToken).ConfigureAwait(false) is { } done && done.RunId == plan.RunId
            && await store.ExistsAsync(plan.Output, cancellationToken).ConfigureAwait(false))
        {
            // (An output deleted since — a night resumed after losing it — is committed again below.)
            // Already published by an earlier attempt: only this run's intermediates are left to remove.
            await store.DeletePrefixAsync(plan.Output.Container, ReductionNames.RunWorkPrefix(plan.Output, plan.RunId), cancellationToken).ConfigureAwait(false);
            return Summary(done, metadataPath);
        }

        try
        {
            return await PublishAsync(task, plan, tiles, recordBytes, metadataPath, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            // The input is damaged, the tiles disagree, or another run published the output first: nothing of this run
            // stands, so its intermediates and staged blocks go. The output, another run's or an older one, stays.
            await DiscardAsync(plan, cancellationToken).ConfigureAwait(false);
            return ReductionSummary.Failed(plan.RunId, plan.Input, DomainErrors.Describe(e), plan.Tiles.Length, plan.Cells.Length);
        }
    }

    /// <summary>Builds and publishes the output (conditionally, over the version planned), then its metadata.</summary>
    private async Task<ReductionSummary> PublishAsync(ReduceTask task, ReductionPlan plan, TileResult[] tiles, long recordBytes,
        BlobPath metadataPath, Stopwatch clock, CancellationToken cancellationToken)
    {
        IBlobStore store = services.Store;
        InputChecksumStatus[] inputChecksums = VerifyInput(plan, tiles);
        var reads = new ByteCounter();
        reads.Add(recordBytes);
        IReducer reducer = plan.Reducer;
        // The tiles recorded side results (values, PSFs) only for a reducer that needs them.
        OwnedCell[] owned = reducer.Output != OutputKind.Results && reducer.PsfRule != PsfRule.CoaddOfResults
            ? []
            : await ReadOwnedCellsAsync(plan, reads, cancellationToken).ConfigureAwait(false);
        var (psf, wcs, metadata) = await ReadInputHeadersAsync(plan, reads, cancellationToken).ConfigureAwait(false);

        long outputBytes, staged, hashBytes = 0;
        string outputETag;
        double hashSeconds = 0;
        string? sha256 = null;
        HduChecksum[] checksums = [];
        OverlapStatistics? overlap = null;
        switch (plan.Kind)
        {
            case OutputKind.Results:
            {
                byte[] json = ResultsDocument(plan, owned);
                (sha256, outputETag) = await WriteSmallAsync(plan, json, cancellationToken).ConfigureAwait(false);
                outputBytes = staged = json.Length;
                break;
            }
            case OutputKind.Psf:
            {
                using var buffer = new MemoryStream();
                PsfFits.Write(CombinedPsf(owned, psf, plan.Cells.Length) ?? throw ReductionErrors.ReduceMismatch("coaddPsf: no cell produced a PSF"), buffer);
                (sha256, outputETag) = await WriteSmallAsync(plan, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
                outputBytes = staged = buffer.Length;
                break;
            }
            default:
            {
                Psf? outputPsf = reducer.PsfRule == PsfRule.Input ? psf : CombinedPsf(owned, psf, plan.Cells.Length);
                var planes = MaskPlanes(tiles);
                var layout = ExposureFitsLayout.Create(plan.FullBox, planes, wcs, metadata, outputPsf);
                (staged, checksums, outputETag) = await CommitExposureAsync(plan, tiles, layout, cancellationToken).ConfigureAwait(false);
                outputBytes = layout.Length;
                if (services.HashOutputs)
                {
                    // The one download of pixels in the whole run, for a checksum the user can verify with sha256sum;
                    // pinned to this run's version, so a later run's commit cannot slip other bytes into the hash.
                    var hashClock = Stopwatch.StartNew();
                    try
                    {
                        sha256 = await new OutputHasher(store).HashAsync(plan.Output, outputBytes, outputETag, cancellationToken).ConfigureAwait(false);
                    }
                    catch (BlobStoreException e) when (e.ErrorClass == ErrorClass.Unavailable)
                    {
                        string? now = await PlanStep.CurrentETagAsync(store, plan.Output, cancellationToken).ConfigureAwait(false);
                        if (now == outputETag) throw;
                        throw ReductionErrors.OutputChanged(plan.Output, plan.RunId, outputETag, now, "right after this run committed it");
                    }
                    (hashBytes, hashSeconds) = (outputBytes, hashClock.Elapsed.TotalSeconds);
                }
                // Every tile of a reducer that counts contributions reports them (the stitching rules), or none does (a reducer
                // without counts, e.g. one added later): a mix means a tile ran another reducer.
                overlap = tiles.All(t => t.Overlap is null) ? null
                    : OverlapStatistics.Merge(tiles.Select(t => t.Overlap ?? throw ReductionErrors.Inconsistent($"tile {t.Index} reported no overlap statistics while others did")));
                break;
            }
        }

        var document = new ReductionMetadata(plan.RunId, plan.ResultKey, plan.Input, plan.InputETag, plan.Output, plan.Kind, outputBytes, sha256,
            JsonSerializer.SerializeToElement(plan.Config, ConfigJson.Options), plan.TileSize, plan.FullBox, plan.Cells.Length, plan.Fwhm,
            [.. tiles.Select(t => new TileMetadata(t.Index, plan.Tiles[t.Index].Region, plan.Tiles[t.Index].InputBox, t.CellsMapped,
                plan.Tiles[t.Index].OwnedCells.Length, t.Seconds, t.ReadSeconds, t.MapSeconds, t.StageSeconds, t.BytesRead, t.BytesWritten, t.BlockCount, t.PeakManagedBytes))],
            overlap, checksums, reads.Bytes, staged, hashBytes, hashSeconds)
        {
            PlanSeconds = task.PlanSeconds, PlanBytesRead = task.PlanBytesRead, ReduceSeconds = clock.Elapsed.TotalSeconds,
            InputChecksums = inputChecksums, InputWarnings = plan.InputWarnings, OutputETag = outputETag,
        };
        await PublishMetadataAsync(plan, metadataPath, WorkflowJson.SerializeToUtf8(document), outputETag, cancellationToken).ConfigureAwait(false);
        await store.DeletePrefixAsync(plan.Output.Container, ReductionNames.RunWorkPrefix(plan.Output, plan.RunId), cancellationToken).ConfigureAwait(false);
        return Summary(document, metadataPath);
    }

    private Task PublishMetadataAsync(ReductionPlan plan, BlobPath metadataPath, byte[] json, string outputETag, CancellationToken cancellationToken) =>
        OutputPublication.PublishMetadataAsync(services.Store, plan.Output, plan.RunId, metadataPath, json, outputETag, cancellationToken);

    /// <summary>
    /// Verifies the input planes' DATASUM and CHECKSUM from the tiles' sums of the rows they own (their
    /// regions partition the rows, so the sums add up to each data unit) plus the padding and header sums
    /// the plan recorded — the same checks, with the same errors, as the engine's whole-plane read.
    /// </summary>
    /// <returns>Per plane, whether it was verified and how.</returns>
    /// <exception cref="FitsFormatException">A sum does not match (<see cref="FitsErrorCategory.ChecksumMismatch"/>).</exception>
    internal static InputChecksumStatus[] VerifyInput(ReductionPlan plan, IReadOnlyList<TileResult> tiles)
    {
        bool whole = tiles.Count > 0 && tiles.All(t => t.InputReadWhole);
        bool summed = tiles.Count > 0 && tiles.All(t => t.InputSums is { Length: 3 });
        string file = plan.Input.ToString();
        var statuses = new InputChecksumStatus[PlaneNames.Length];
        for (int p = 0; p < PlaneNames.Length; p++)
        {
            InputPlaneChecksum? record = plan.InputChecksums.FirstOrDefault(c => c.Plane == p);
            if (record is null)
            {
                statuses[p] = whole
                    ? new(null, PlaneNames[p], true, "whole-plane read (the engine's reader verifies the cards it finds)")
                    : new(null, PlaneNames[p], false, $"not verified: {plan.InputFormat} layout, planes read in bands through the engine's region reader");
                continue;
            }
            if (!record.HasCards)
            {
                statuses[p] = new(record.Hdu, record.Name, false, "no checksum cards");
                continue;
            }
            if (whole)
            {
                statuses[p] = new(record.Hdu, record.Name, true, "whole-plane read");
                continue;
            }
            if (!summed)
            {
                statuses[p] = new(record.Hdu, record.Name, false,
                    "not verified: a tile did not sum its rows (planes read through the engine's region reader, or a tile without cells)");
                continue;
            }
            FitsChecksum data = tiles.Aggregate(FitsChecksum.FromValue(record.PaddingSum), (s, t) => s + FitsChecksum.FromValue(t.InputSums![p]));
            if (record.ExpectedDatasum is { } expected && expected != data.Value)
                throw FitsErrors.DatasumMismatch(file, record.Hdu, record.DatasumCard, record.Datasum!, data.Value);
            if (record.ChecksumCard is { } card)
            {
                uint total = (FitsChecksum.FromValue(record.HeaderSum) + data).Value;
                if (total != 0xFFFFFFFF) throw FitsErrors.ChecksumMismatch(file, record.Hdu, card, total);
            }
            statuses[p] = new(record.Hdu, record.Name, true, "tile partial sums");
        }
        return statuses;
    }

    private Task DiscardAsync(ReductionPlan plan, CancellationToken cancellationToken) =>
        DiscardRunAsync(services.Store, plan.Output, plan.RunId, cancellationToken);

    /// <summary>
    /// Removes what run <paramref name="runId"/> left for <paramref name="output"/>: its intermediates
    /// (<see cref="ReductionNames.RunWorkPrefix"/>) and the output blocks it staged and did not commit. Other runs' work
    /// and blocks, and the committed output, are left alone.
    /// </summary>
    public static async Task DiscardRunAsync(IBlobStore store, BlobPath output, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        await store.DeletePrefixAsync(output.Container, ReductionNames.RunWorkPrefix(output, runId), cancellationToken).ConfigureAwait(false);
        await store.DiscardBlocksAsync(output, OutputBlocks.LabelPrefix(runId), cancellationToken).ConfigureAwait(false);
    }

    private static ReductionSummary Summary(ReductionMetadata m, BlobPath metadataPath) => OutputPublication.Summary(m, metadataPath);

    /// <summary>Most tile errors quoted in a failed run's error (the rest are counted).</summary>
    private const int QuotedTileErrors = 8;

    /// <summary>
    /// Why the tiles cannot be reduced, or null: the failed tiles' errors in one message, classed as the first failed
    /// tile's error (a tile that met a bad plane makes the run's failure a bad input).
    /// </summary>
    private static ErrorInfo? CheckTiles(TileResult[] tiles)
    {
        TileResult[] failed = [.. tiles.Where(t => !t.Succeeded)];
        if (failed.Length == 0) return null;
        var errors = failed.Select(t => $"tile {t.Index}: {t.ErrorDetail?.Message ?? t.Error}").ToArray();
        string quoted = string.Join("; ", errors.Take(QuotedTileErrors));
        string message = errors.Length <= QuotedTileErrors ? quoted : $"{quoted}; and {errors.Length - QuotedTileErrors} more failed tiles";
        ErrorInfo first = failed.Select(t => t.ErrorDetail).FirstOrDefault(d => d is not null)
            ?? new ErrorInfo(ErrorClass.Internal, ErrorCodes.InconsistentRun, message);
        return first with { Message = message };
    }

    /// <summary>
    /// The summary of the run whose plan was at <paramref name="planPath"/> when its output is published (the metadata names the
    /// run and the output exists), else null.
    /// </summary>
    private async Task<ReductionSummary?> PublishedAsync(BlobPath planPath, CancellationToken cancellationToken) =>
        ReductionNames.RunOfPlan(planPath) is var (output, runId)
            ? await OutputPublication.PublishedAsync(services.Store, output, runId, cancellationToken).ConfigureAwait(false)
            : null;

    private Task<ReductionMetadata?> ReadMetadataAsync(BlobPath path, CancellationToken cancellationToken) =>
        OutputPublication.ReadMetadataAsync(services.Store, path, cancellationToken);

    private async Task<OwnedCell[]> ReadOwnedCellsAsync(ReductionPlan plan, ByteCounter reads, CancellationToken cancellationToken)
    {
        var cells = new List<OwnedCell>(plan.Cells.Length);
        foreach (TileSpec tile in plan.Tiles)
        {
            byte[] bytes = await ReadAllAsync(ReductionNames.TileCells(plan.Output, plan.RunId, tile.Index), reads, cancellationToken).ConfigureAwait(false);
            var doc = WorkflowJson.Deserialize<TileCells>(bytes);
            if (doc.RunId != plan.RunId || doc.Tile != tile.Index)
                throw ReductionErrors.Inconsistent($"side results of tile {tile.Index} belong to run {doc.RunId}, tile {doc.Tile}");
            cells.AddRange(doc.Cells);
        }
        cells.Sort((a, b) => a.Index.CompareTo(b.Index));
        return [.. cells];
    }

    /// <summary>The input's PSF, WCS and metadata: headers and the PSF table only (small range reads).</summary>
    private async Task<(Psf? Psf, IReadOnlyList<HeaderCard> Wcs, IReadOnlyList<HeaderCard> Metadata)> ReadInputHeadersAsync(
        ReductionPlan plan, ByteCounter reads, CancellationToken cancellationToken)
    {
        BlobInfo input = await services.Store.GetPropertiesAsync(plan.Input, cancellationToken).ConfigureAwait(false);
        if (input.ETag != plan.InputETag)
            throw ReductionErrors.InputChanged(plan.Input, plan.RunId, plan.InputETag, input.ETag);
        using var stream = new RangeReadStream(services.Store, plan.Input, input.Size);
        ExposureFileInfo info = await Task.Run(() => PlanStep.ReadInfo(stream, plan.Input), cancellationToken).ConfigureAwait(false);
        reads.Add(stream.BytesFetched);
        var (psf, _) = await RunPsf.ResolveAsync(services.Store, plan.Psf, plan.PsfKernelETag, info.Psf, cancellationToken).ConfigureAwait(false);
        return (psf, info.Wcs, info.Metadata);
    }

    /// <summary>The CoaddPsf of the owned cells' PSFs in grid order, as the in-process reducer builds it; null when no result had a PSF.</summary>
    private static Psf? CombinedPsf(OwnedCell[] owned, Psf? inputPsf, int cellCount)
    {
        var components = new List<CoaddPsfComponent>(owned.Length);
        foreach (OwnedCell c in owned)
        {
            if (c.Psf is null || c.PsfBox is not { } box) continue;
            Psf psf = c.Psf == TileCells.InputPsf
                ? inputPsf ?? throw ReductionErrors.Inconsistent($"cell {c.Index} reports the input's PSF but the input has none")
                : PsfFits.Read(new MemoryStream(Convert.FromBase64String(c.Psf), writable: false));
            components.Add(new CoaddPsfComponent(psf, box, 1.0));
        }
        if (components.Count == 0) return null;
        if (components.Count != cellCount)
            throw ReduceErrors.MissingPsf(owned.FirstOrDefault(c => c.Psf is null)?.Index ?? 0, false);
        return new CoaddPsf(components);
    }

    private static MaskPlaneDictionary MaskPlanes(TileResult[] tiles)
    {
        var first = tiles[0].MaskPlanes;
        foreach (var t in tiles)
            if (!t.MaskPlanes.SequenceEqual(first))
                throw ReductionErrors.Inconsistent($"tile {t.Index} has mask planes [{string.Join(", ", t.MaskPlanes)}] but tile 0 has [{string.Join(", ", first)}]");
        return MaskPlaneDictionary.FromBits(first);
    }

    private static byte[] ResultsDocument(ReductionPlan plan, OwnedCell[] owned)
    {
        if (owned.Length != plan.Cells.Length || owned.Where((c, i) => c.Index != i).Any())
            throw ReductionErrors.Inconsistent($"expected a value for each of the {plan.Cells.Length} cells, got {owned.Length}");
        var entries = owned.Select(c => new CellResultEntry(c.Index, plan.Cells[c.Index], plan.ExpandedCells[c.Index], c.Value)).ToArray();
        return WorkflowJson.SerializeToUtf8(entries);
    }

    /// <summary>Stages headers, padding and the PSF table, then commits every block in file order.</summary>
    private async Task<(long Staged, HduChecksum[] Checksums, string ETag)> CommitExposureAsync(ReductionPlan plan, TileResult[] tiles,
        ExposureFitsLayout layout, CancellationToken cancellationToken)
    {
        IBlobStore store = services.Store;
        var ids = new List<string>();
        var headers = new List<(FitsHduLayout Hdu, byte[] Bytes)>();
        var checksums = new List<HduChecksum>();
        long staged = 0;
        async Task StageAsync(string id, byte[] bytes)
        {
            using var content = new MemoryStream(bytes, writable: false);
            await store.StageBlockAsync(plan.Output, id, content, cancellationToken).ConfigureAwait(false);
            ids.Add(id);
            staged += bytes.Length;
        }

        foreach (FitsHduLayout hdu in layout.Hdus)
        {
            bool pixels = hdu.Index is >= 1 and <= 3;
            FitsChecksum data = pixels
                ? tiles.Aggregate(FitsChecksum.Zero, (s, t) => s + FitsChecksum.FromValue(t.PlaneChecksums[hdu.Index - 1]))
                : layout.DataChecksum(hdu);
            byte[] header = layout.EncodeHeader(hdu, data);
            headers.Add((hdu, header));
            checksums.Add(new HduChecksum(hdu.Index, hdu.ExtName ?? "PRIMARY", data.Value));
            await StageAsync(OutputBlocks.Header(plan.RunId, hdu.Index), header).ConfigureAwait(false);
            if (pixels)
            {
                foreach (TileResult t in tiles)
                    for (int part = 0; part < t.BlockCount; part++) ids.Add(OutputBlocks.Data(plan.RunId, hdu.Index, t.Index, part));
                int pad = (int)(hdu.PaddedDataLength - hdu.DataLength);
                if (pad > 0) await StageAsync(OutputBlocks.Padding(plan.RunId, hdu.Index), new byte[pad]).ConfigureAwait(false);
            }
            else if (hdu.DataLength > 0)
            {
                byte[] table = new byte[hdu.PaddedDataLength];
                layout.PsfData.CopyTo(table);
                await StageAsync(OutputBlocks.Table(plan.RunId, hdu.Index), table).ConfigureAwait(false);
            }
        }

        // A redelivered Reduce (its worker died after the commit, before the metadata) finds this very output committed.
        // Committing again would succeed (committed block ids may be committed again) and publish the same bytes as a new
        // version: readers would see the output change. So it is published once (tested by killing imred worker).
        if (await CommittedAlreadyAsync(plan.Output, layout, headers, cancellationToken).ConfigureAwait(false) is { } committed)
            return (staged, [.. checksums], committed);
        try
        {
            // Only over the version planned: a run that finds another run's commit there fails rather than replace it.
            string etag = await store.CommitBlocksAsync(plan.Output, ids, BlobCondition.IfUnchanged(plan.OutputETag), cancellationToken).ConfigureAwait(false);
            return (staged, [.. checksums], etag);
        }
        catch (BlobStoreException e) when (e is InvalidBlockListException or BlobChangedException or BlobAlreadyExistsException)
        {
            // An earlier attempt may have committed this very output (consuming the staged blocks) and died before
            // writing the metadata: then the headers, which carry every DATASUM and CHECKSUM, match. Otherwise another
            // run committed (its commit also discarded this run's uncommitted blocks).
            if (await CommittedAlreadyAsync(plan.Output, layout, headers, cancellationToken).ConfigureAwait(false) is { } committed2)
                return (staged, [.. checksums], committed2);
            string? now = await PlanStep.CurrentETagAsync(store, plan.Output, cancellationToken).ConfigureAwait(false);
            throw ReductionErrors.OutputChanged(plan.Output, plan.RunId, plan.OutputETag, now, "after this run was planned");
        }
    }

    /// <summary>
    /// The ETag of the output when it already holds exactly these headers (this run's bytes), else null. The ETag is read
    /// before and after the header reads: a commit by another run in between would otherwise pair its version with this
    /// run's metadata.
    /// </summary>
    private async Task<string?> CommittedAlreadyAsync(BlobPath output, ExposureFitsLayout layout, List<(FitsHduLayout Hdu, byte[] Bytes)> headers,
        CancellationToken cancellationToken)
    {
        string? before = await PlanStep.CurrentETagAsync(services.Store, output, cancellationToken).ConfigureAwait(false);
        if (before is null || !await MatchesAsync(output, layout, headers, cancellationToken).ConfigureAwait(false)) return null;
        return await PlanStep.CurrentETagAsync(services.Store, output, cancellationToken).ConfigureAwait(false) == before ? before : null;
    }

    private Task<bool> MatchesAsync(BlobPath output, ExposureFitsLayout layout, List<(FitsHduLayout Hdu, byte[] Bytes)> headers,
        CancellationToken cancellationToken) =>
        OutputPublication.MatchesAsync(services.Store, output, layout.Length, [.. headers.Select(h => (h.Hdu.HeaderOffset, (ReadOnlyMemory<byte>)h.Bytes))], cancellationToken);

    /// <summary>Writes a PSF or results output over the version planned; returns its SHA-256 and ETag.</summary>
    private async Task<(string Sha256, string ETag)> WriteSmallAsync(ReductionPlan plan, byte[] bytes, CancellationToken cancellationToken)
    {
        IBlobStore store = services.Store;
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        try
        {
            using var content = new MemoryStream(bytes, writable: false);
            return (sha256, await store.WriteAsync(plan.Output, content, BlobCondition.IfUnchanged(plan.OutputETag), cancellationToken).ConfigureAwait(false));
        }
        catch (BlobStoreException e) when (e is BlobChangedException or BlobAlreadyExistsException)
        {
            // An earlier attempt of this run may have written these very bytes and died before the metadata.
            BlobInfo now = await store.GetPropertiesAsync(plan.Output, cancellationToken).ConfigureAwait(false);
            if (now.Size == bytes.Length && await store.ReadRangeAsync(plan.Output, 0, bytes.Length, cancellationToken).ConfigureAwait(false) is var found
                && found.AsSpan().SequenceEqual(bytes))
                return (sha256, now.ETag);
            throw ReductionErrors.OutputChanged(plan.Output, plan.RunId, plan.OutputETag, now.ETag, "after this run was planned");
        }
    }

    private async Task<byte[]> ReadAllAsync(BlobPath path, ByteCounter reads, CancellationToken cancellationToken)
    {
        byte[] bytes = await services.Store.ReadAllAsync(path, cancellationToken).ConfigureAwait(false);
        reads.Add(bytes.Length);
        return bytes;
    }

    /// <summary>Bytes downloaded by the step.</summary>
    private sealed class ByteCounter
    {
        public long Bytes { get; private set; }
        public void Add(long n) => Bytes += n;
    }
}
