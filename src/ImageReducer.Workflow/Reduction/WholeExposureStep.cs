using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Reduces one exposure in one step (<see cref="ExposureFlow.Whole"/>): reads the input's headers, decides with
/// <see cref="ExposureFlowPolicy"/> whether it is reduced whole, then downloads it (pinned to the version read), runs the
/// engine's in-process map-reduce (<see cref="MapReduceRunner"/>, as <c>imred run</c> does), writes the output over the
/// version it found and its metadata as <see cref="ReduceStep"/> does. No plan, tile or block blob is written.
/// </summary>
/// <remarks>
/// <para>Byte-identical to the tiled flow and to <c>imred run</c>: the same grid, the same runner, the same writers
/// (<see cref="ExposureFits.Write(Exposure, Stream)"/>, <see cref="PsfFits"/>, <see cref="WorkflowJson"/>). The metadata's
/// result key is the tiled flow's, so a night's resume check does not care which flow wrote an output.</para>
/// <para>Idempotent: the run id is the tiled flow's (<see cref="ReductionNames.RunId"/>, owned by the orchestration); a
/// redelivered step finds the metadata of its run and returns, or, when its worker died between the write and the
/// metadata, finds its own bytes in the output (an exposure's headers carry every DATASUM and CHECKSUM) and does not
/// publish them again as a new version.</para>
/// <para>Concurrent runs to one output: the write is conditional on the output version found before the run computed
/// (<see cref="BlobCondition.IfUnchanged"/>); the first to write wins and a run that finds other bytes there fails with
/// <see cref="Engine.Errors.ErrorCodes.OutputChanged"/>; the metadata is written by the shared compare-and-swap
/// (<see cref="OutputPublication.PublishMetadataAsync"/>).</para>
/// <para>The output's SHA-256 is computed from the bytes in memory: no read-back.</para>
/// </remarks>
public sealed class WholeExposureStep(ReductionServices services)
{
    /// <summary>
    /// Reduces <paramref name="task"/>'s exposure whole, or returns a result without a summary when its flow is
    /// <see cref="ExposureFlow.Auto"/> and it does not fit <paramref name="memoryBudgetBytes"/>.
    /// </summary>
    /// <exception cref="ReductionException">A limit, a conflict with another run, or the input changed while it was read.</exception>
    /// <exception cref="FitsException">The input is not a readable exposure.</exception>
    /// <exception cref="ConfigValidationException">The configuration is invalid.</exception>
    public async Task<WholeExposureResult> RunAsync(WholeExposureTask task, long memoryBudgetBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ReductionRequest request = task.Request ?? throw new ArgumentException("the task has no request", nameof(task));
        var clock = Stopwatch.StartNew();
        if (request.TileSize < 1) throw ReductionErrors.TileSize(request.TileSize);
        MapReduceConfig config = (request.Config ?? throw new ArgumentException("the request has no configuration", nameof(task))).Validate();
        IMapper mapper = services.Mappers.Create(config.Mapper);
        IBlobStore store = services.Store;

        BlobInfo input = await store.GetPropertiesAsync(request.Input, cancellationToken).ConfigureAwait(false);
        ExposureFileInfo info;
        using (var headers = new RangeReadStream(store, request.Input, input.Size))
            info = await Task.Run(() => PlanStep.ReadInfo(headers, request.Input), cancellationToken).ConfigureAwait(false);
        long pixels = info.Box.Area, estimate = ExposureFlowPolicy.EstimatedBytes(pixels);
        if (pixels > services.Limits.MaxPixels)
            throw ReductionErrors.MaxPixels(request.Input, info.Box, services.Limits.MaxPixels);
        if (!ExposureFlowPolicy.RunsWhole(request.Flow ?? ExposureFlow.Whole, pixels, memoryBudgetBytes))
            return new WholeExposureResult(null, pixels, estimate);

        var (psf, psfKernelETag) = await RunPsf.ResolveAsync(store, request.Psf, null, info.Psf, cancellationToken).ConfigureAwait(false);
        AuxiliaryBlob[] auxiliary = await AuxiliaryBlobs.PlanAsync(store, request.Auxiliary, mapper, info.Box, cancellationToken).ConfigureAwait(false);
        string resultKey = ReductionNames.ResultKey(request.Input, input.ETag,
            ConfigJson.Serialize(config) + AuxiliaryBlobs.Key(auxiliary) + RunPsf.Key(request.Psf, psfKernelETag), request.TileSize);
        string runId = ReductionNames.RunId(resultKey, request.Output, request.InstanceId);
        // Delivered again after an attempt that published (its completion was lost): that attempt's answer is this one's.
        if (await OutputPublication.PublishedAsync(store, request.Output, runId, cancellationToken).ConfigureAwait(false) is { } published)
            return new WholeExposureResult(published, pixels, estimate);
        string? outputETag = await PlanStep.CurrentETagAsync(store, request.Output, cancellationToken).ConfigureAwait(false);

        long baseline = GC.GetTotalMemory(false), peak = 0;
        void Sample() => peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);
        var (encoded, readSeconds, mapSeconds, bytesRead, cells) = await ComputeAsync(request, input, info, config, mapper, psf, auxiliary, runId, Sample,
            cancellationToken).ConfigureAwait(false);
        double writeStarted = clock.Elapsed.TotalSeconds;
        string written = await WriteOutputAsync(request.Output, runId, outputETag, encoded, cancellationToken).ConfigureAwait(false);
        Sample();

        var document = new ReductionMetadata(runId, resultKey, request.Input, input.ETag, request.Output, encoded.Kind, encoded.Bytes.Length,
            Convert.ToHexStringLower(SHA256.HashData(encoded.Bytes)), JsonSerializer.SerializeToElement(config, ConfigJson.Options), request.TileSize,
            info.Box, cells.Count, cells.Fwhm,
            [new TileMetadata(0, info.Box, info.Box, cells.Count, cells.Count, clock.Elapsed.TotalSeconds, readSeconds, mapSeconds,
                clock.Elapsed.TotalSeconds - writeStarted, bytesRead, encoded.Bytes.Length, 0, peak)],
            encoded.Overlap, encoded.Checksums, 0, encoded.Bytes.Length)
        {
            ReduceSeconds = clock.Elapsed.TotalSeconds - writeStarted, InputChecksums = encoded.InputChecksums, InputWarnings = encoded.Warnings,
            OutputETag = written, Flow = ExposureFlow.Whole,
        };
        BlobPath metadataPath = ReductionNames.Metadata(request.Output);
        await OutputPublication.PublishMetadataAsync(store, request.Output, runId, metadataPath, WorkflowJson.SerializeToUtf8(document), written, cancellationToken)
            .ConfigureAwait(false);
        ReductionSummary summary = OutputPublication.Summary(document, metadataPath) with { ActivitySeconds = clock.Elapsed.TotalSeconds };
        return new WholeExposureResult(summary, pixels, estimate);
    }

    /// <summary>Downloads, maps and reduces, and encodes the output; the input and the reduced exposure are released before the write.</summary>
    private async Task<(EncodedOutput Output, double ReadSeconds, double MapSeconds, long BytesRead, Grid Grid)> ComputeAsync(ReductionRequest request,
        BlobInfo input, ExposureFileInfo info, MapReduceConfig config, IMapper mapper, Psf? psf, AuxiliaryBlob[] auxiliary, string runId, Action sample,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // The caller's PSF replaces the stored one, as imred run --psf does: of the input as read and of the input read again.
        Exposure WithRequestPsf(Exposure e)
        {
            if (request.Psf is not null) e.Psf = psf;
            return e;
        }
        var (exposure, inputChecksums, warnings) = await ReadInputAsync(request.Input, input, cancellationToken).ConfigureAwait(false);
        using (WithRequestPsf(exposure))
        {
            Grid grid;
            try
            {
                grid = GridBuilder.Build(info.Box, psf, config, services.Limits.MaxCells);
            }
            catch (GridTooLargeException e)
            {
                throw ReductionErrors.MaxCells(request.Input, e.Message, services.Limits.MaxCells);
            }
            var (aux, auxiliaryBytes) = await AuxiliaryBlobs.ReadAsync(services.Store, auxiliary, runId, info.Box, info.Box, cancellationToken).ConfigureAwait(false);
            double read = clock.Elapsed.TotalSeconds;
            sample();
            using (aux)
            {
                var runner = new MapReduceRunner(mapper, config.Reducer, services.Engine);
                // The input's pixels are not used after the run: a whole-exposure copy/sum/average is built in its planes
                // (a third less memory at the activity's peak, no new pages for the output); a run that must restart (a
                // failing mapper: the same error as ever) downloads the same version of the input again.
                Exposure ReadAgain() => WithRequestPsf(ReadInputAsync(request.Input, input, cancellationToken).GetAwaiter().GetResult().Exposure);
                MapReduceResult result = await Task.Run(() => runner.RunInPlace(exposure, grid, config.ReturnSubImages, ReadAgain,
                    cancellationToken: cancellationToken, auxiliary: aux), cancellationToken).ConfigureAwait(false);
                sample();
                double map = clock.Elapsed.TotalSeconds - read;
                EncodedOutput encoded = Encode(result, grid) with { InputChecksums = inputChecksums, Warnings = warnings };
                sample();
                return (encoded, read, map, input.Size + auxiliaryBytes, grid);
            }
        }
    }

    /// <summary>
    /// The whole input, pinned to the version whose headers were read, through the engine's whole-plane reader (which
    /// verifies every DATASUM/CHECKSUM card it finds), with what the reader tolerated and the planes' checksum status.
    /// </summary>
    private async Task<(Exposure Exposure, InputChecksumStatus[] Checksums, string[] Warnings)> ReadInputAsync(BlobPath path, BlobInfo input,
        CancellationToken cancellationToken)
    {
        // Outside the managed heap and freed as soon as the pixels are decoded: a managed array of the file's size stayed
        // resident until the next full collection, through the map and the encode (the activity's peak: 595 → 401 MiB at 4096²).
        using var bytes = new NativeBuffer(checked((int)input.Size));
        int n = input.Size == 0 ? 0 : await services.Store.ReadIntoAsync(path, 0, bytes.Memory, input.ETag, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() =>
        {
            using var reader = new FitsReader(bytes.OpenRead(n), FitsReadOptions.Default, path.ToString());
            Exposure exposure = ExposureFits.Read(reader);
            try
            {
                InputChecksumStatus[] checksums = ChecksumStatuses(reader, bytes.Memory[..n]);
                return (exposure, checksums, reader.Warnings.Select(w => w.Message).ToArray());
            }
            catch
            {
                exposure.Dispose();
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Per pixel plane: verified by the whole-plane read (LSST layout: only when it carries the cards).</summary>
    private static InputChecksumStatus[] ChecksumStatuses(FitsReader reader, ReadOnlyMemory<byte> file)
    {
        string[] names = ["IMAGE", "MASK", "VARIANCE"];
        if (ExposureFits.DetectFormat(reader) != ExposureFormat.Lsst)
            return [.. names.Select(n => new InputChecksumStatus(null, n, true, "whole-plane read (the engine's reader verifies the cards it finds)"))];
        InputPlaneChecksum[] records = PlanStep.ReadPlaneChecksums(reader, (offset, length) =>
            file.Slice((int)Math.Min(offset, file.Length), (int)Math.Min(length, Math.Max(0, file.Length - offset))).ToArray());
        return [.. names.Select((n, p) => records.FirstOrDefault(r => r.Plane == p) is not { } r
            ? new InputChecksumStatus(null, n, true, "whole-plane read (the engine's reader verifies the cards it finds)")
            : r.HasCards ? new InputChecksumStatus(r.Hdu, r.Name, true, "whole-plane read") : new InputChecksumStatus(r.Hdu, r.Name, false, "no checksum cards"))];
    }

    /// <summary>The output file's bytes, as <c>imred run</c> and the tiled flow write them.</summary>
    private static EncodedOutput Encode(MapReduceResult result, Grid grid)
    {
        ReduceResult reduced = result.Reduced;
        if (reduced.Results is { } values)
        {
            byte[] json = WorkflowJson.SerializeToUtf8(values.Select((r, i) => new CellResultEntry(i, grid.Cells[i], grid.ExpandedCells[i], CellResultValue.Of(r))).ToArray());
            return new EncodedOutput(OutputKind.Results, json, [(0, json)], [], null);
        }
        if (reduced.Exposure is null)
        {
            using var psfFile = new MemoryStream();
            PsfFits.Write(reduced.Psf ?? throw ReductionErrors.ReduceMismatch("coaddPsf: no cell produced a PSF"), psfFile);
            byte[] bytes = psfFile.ToArray();
            return new EncodedOutput(OutputKind.Psf, bytes, [(0, bytes)], [], null);
        }
        using Exposure exposure = reduced.Exposure;
        var layout = ExposureFitsLayout.Create(exposure);
        byte[] file = GC.AllocateUninitializedArray<byte>(checked((int)layout.Length));
        using (var stream = new MemoryStream(file, writable: true))
            ExposureFits.Write(exposure, stream);
        // The headers carry every HDU's DATASUM and CHECKSUM: they identify these bytes (see OutputPublication.MatchesAsync).
        var headers = layout.Hdus.Select(h => (h.HeaderOffset, (ReadOnlyMemory<byte>)file.AsMemory((int)h.HeaderOffset, (int)h.HeaderLength))).ToArray();
        var checksums = layout.Hdus.Select(h => new HduChecksum(h.Index, h.ExtName ?? "PRIMARY", DataSum(file, h))).ToArray();
        return new EncodedOutput(OutputKind.Exposure, file, headers, checksums, reduced.Overlap);
    }

    /// <summary>
    /// The HDU's DATASUM as the writer recorded it in the header it just wrote (summing the data unit again would be a second
    /// pass over every pixel byte for a number the file already holds).
    /// </summary>
    private static uint DataSum(byte[] file, FitsHduLayout hdu)
    {
        for (long at = hdu.HeaderOffset; at < hdu.DataOffset; at += FitsConstants.CardLength)
        {
            ReadOnlySpan<byte> card = file.AsSpan((int)at, FitsConstants.CardLength);
            if (!card.StartsWith("DATASUM "u8)) continue;
            return FitsCard.Parse(Encoding.ASCII.GetString(card)).Value is string value
                && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint sum)
                ? sum
                : throw new InvalidOperationException($"HDU {hdu.Index}: the written DATASUM card is not a 32-bit sum: {Encoding.ASCII.GetString(card)}");
        }
        throw new InvalidOperationException($"HDU {hdu.Index}: the written header has no DATASUM card");
    }

    /// <summary>
    /// Writes the output over <paramref name="outputETag"/> (the version found before computing) and returns the version
    /// written; an output that already holds these very bytes (an earlier attempt of this run, or a run that computed the
    /// same result) is left as it is and its version returned.
    /// </summary>
    private async Task<string> WriteOutputAsync(BlobPath output, string runId, string? outputETag, EncodedOutput encoded, CancellationToken cancellationToken)
    {
        IBlobStore store = services.Store;
        if (outputETag is not null
            && await OutputPublication.CommittedAlreadyAsync(store, output, encoded.Bytes.Length, encoded.Identity, cancellationToken).ConfigureAwait(false) is { } same)
            return same;
        try
        {
            if (encoded.Bytes.Length <= OutputBlocks.PartBytes)
            {
                using var content = new MemoryStream(encoded.Bytes, 0, encoded.Bytes.Length, writable: false, publiclyVisible: true);
                return await store.WriteAsync(output, content, BlobCondition.IfUnchanged(outputETag), cancellationToken).ConfigureAwait(false);
            }
            // A large file goes up as this run's blocks, each with its MD5 (as the tiles stage theirs: no chunk copies in the
            // SDK, and Azurite skips its own CRC64), then one conditional commit: published whole or not at all.
            string[] ids = await StageAsync(output, runId, encoded.Bytes, cancellationToken).ConfigureAwait(false);
            return await store.CommitBlocksAsync(output, ids, BlobCondition.IfUnchanged(outputETag), cancellationToken).ConfigureAwait(false);
        }
        catch (BlobStoreException e) when (e is BlobChangedException or BlobAlreadyExistsException or InvalidBlockListException)
        {
            if (await OutputPublication.CommittedAlreadyAsync(store, output, encoded.Bytes.Length, encoded.Identity, cancellationToken).ConfigureAwait(false) is { } committed)
                return committed;
            await store.DiscardBlocksAsync(output, OutputBlocks.LabelPrefix(runId), cancellationToken).ConfigureAwait(false);
            string? now = await PlanStep.CurrentETagAsync(store, output, cancellationToken).ConfigureAwait(false);
            throw ReductionErrors.OutputChanged(output, runId, outputETag, now, "after this run read it");
        }
    }

    /// <summary>Stages <paramref name="file"/> as blocks of <see cref="OutputBlocks.PartBytes"/>, <see cref="MapTileStep.StageConcurrency"/> at a time; returns their ids in file order.</summary>
    private async Task<string[]> StageAsync(BlobPath output, string runId, byte[] file, CancellationToken cancellationToken)
    {
        int parts = (int)((file.LongLength + OutputBlocks.PartBytes - 1) / OutputBlocks.PartBytes);
        string[] ids = [.. Enumerable.Range(0, parts).Select(p => OutputBlocks.Whole(runId, p))];
        await Parallel.ForAsync(0, parts, new ParallelOptions { MaxDegreeOfParallelism = MapTileStep.StageConcurrency, CancellationToken = cancellationToken },
            async (p, ct) =>
            {
                int offset = p * OutputBlocks.PartBytes, length = (int)Math.Min(OutputBlocks.PartBytes, file.LongLength - offset);
                using var content = new MemoryStream(file, offset, length, writable: false, publiclyVisible: true); // lets the store hash it in place
                await services.Store.StageBlockAsync(output, ids[p], content, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return ids;
    }

    /// <summary>An output file in memory with what identifies it and what the metadata says of it.</summary>
    /// <param name="Kind">What it is.</param>
    /// <param name="Bytes">The file.</param>
    /// <param name="Identity">Byte ranges that identify it in the store (an exposure's headers; a small output's whole bytes).</param>
    /// <param name="Checksums">DATASUM of every HDU of an exposure.</param>
    /// <param name="Overlap">Contribution counts (stitching reducers).</param>
    private sealed record EncodedOutput(OutputKind Kind, byte[] Bytes, (long Offset, ReadOnlyMemory<byte> Bytes)[] Identity, HduChecksum[] Checksums,
        OverlapStatistics? Overlap)
    {
        public InputChecksumStatus[] InputChecksums { get; init; } = [];
        public string[] Warnings { get; init; } = [];
    }
}
