using System.Text;
using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Nights;

/// <summary>
/// The I/O steps of a night, each one activity: list a page into batch manifests, read a chunk of a manifest (with the
/// resume check), record a part of a batch's report, and finish (merge the report, write the summary). Every input and
/// output is small whatever the night's size; what grows with the night lives in blobs (<see cref="NightLayout"/>).
/// </summary>
/// <param name="store">Where the night's exposures and outputs are.</param>
/// <param name="isExposure">Which names are exposures (<see cref="Configuration.ImageReducerOptions.IsExposureName"/>, the blob trigger's rule).</param>
public sealed class NightSteps(IBlobStore store, Func<string, bool> isExposure)
{
    /// <summary>Output metadata read to find a finished run's id (the id is its first field).</summary>
    private const int MetadataHeadBytes = 4096;

    /// <summary>Outputs checked at once by the resume check.</summary>
    private const int CheckConcurrency = 16;

    /// <summary>Manifest bytes one chunk reads (a line is at most ~1.2 KB: a blob name is at most 1,024 characters).</summary>
    private const int ManifestReadBytes = 64 * 1024;

    /// <summary>
    /// Lists one page of the night (at most <see cref="NightLimits.ListPageSize"/> blobs) and writes its exposures as batch
    /// manifests: a new batch at each visit (<see cref="NightLayout.VisitOf"/>) and every <see cref="NightRequest.BatchSize"/>
    /// exposures. The first page first removes what an earlier run of the same night left in its work folder.
    /// </summary>
    public async Task<NightPage> ListPageAsync(NightPageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        NightRequest night = request.Night;
        if (request.Page == 0)
            await store.DeletePrefixAsync(night.OutputContainer, NightLayout.WorkPrefix(night), cancellationToken).ConfigureAwait(false);
        BlobListPage page = await store.ListPageAsync(night.Container, night.Prefix, request.Continuation, NightLimits.ListPageSize, cancellationToken)
            .ConfigureAwait(false);
        var batch = new List<NightManifestEntry>();
        string? visit = null;
        int batches = 0, exposures = 0;
        foreach (BlobInfo blob in page.Blobs)
        {
            if (!isExposure(blob.Path.Name)) continue;
            string v = NightLayout.VisitOf(blob.Path.Name, night.Prefix);
            if (batch.Count > 0 && (batch.Count >= night.BatchSize || v != visit))
            {
                await WriteManifestAsync(night, request.FirstBatch + batches++, batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
            visit = v;
            batch.Add(new NightManifestEntry(blob.Path.Name, blob.ETag, blob.Size));
            exposures++;
        }
        if (batch.Count > 0)
            await WriteManifestAsync(night, request.FirstBatch + batches++, batch, cancellationToken).ConfigureAwait(false);
        return new NightPage(page.Blobs.Count, exposures, batches, page.Continuation);
    }

    /// <summary>
    /// The manifest lines of a batch from <see cref="NightChunkRequest.Offset"/>, at most <see cref="NightLimits.ChunkBytes"/>
    /// serialized (at least one line), each with its output and whether that output already exists from the same run
    /// inputs — the output's metadata names the run, and the run id hashes input version, configuration and tile size —
    /// unless the night forces.
    /// </summary>
    /// <exception cref="ConfigValidationException">The night's configuration is invalid.</exception>
    public async Task<NightChunk> ReadChunkAsync(NightChunkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        NightRequest night = request.Night;
        MapReduceConfig config = night.Config;
        IReducer reducer = Reducers.Create(config.Reducer);
        string canonical = ConfigJson.Serialize(config);
        // Read from where the last chunk ended, not the whole manifest: a batch is read in ~25 chunks.
        byte[] data = await store.ReadRangeAsync(NightLayout.Manifest(night, request.Batch), request.ByteOffset, ManifestReadBytes, cancellationToken)
            .ConfigureAwait(false);
        bool atEnd = data.Length < ManifestReadBytes;
        var entries = new List<(NightChunkEntry Entry, string ETag)>();
        int bytes = 0, next = request.Offset, position = 0;
        while (true)
        {
            int newline = Array.IndexOf(data, (byte)'\n', position);
            if (newline < 0) break;
            NightManifestEntry line = JsonSerializer.Deserialize<NightManifestEntry>(data.AsSpan(position, newline - position), WorkflowJson.CompactOptions)
                ?? throw new JsonException($"line {next} of the manifest of batch {request.Batch} is null");
            var input = new BlobPath(night.Container, line.Name);
            string relative = line.Name.StartsWith(night.Prefix, StringComparison.Ordinal) ? line.Name[night.Prefix.Length..] : line.Name;
            BlobPath output = ReductionNames.OutputFor(new BlobPath(night.Container, relative), night.OutputContainer, night.OutputPrefix, reducer);
            var entry = new NightChunkEntry(next, input, output, line.Size, false, request.ByteOffset + position);
            int size = JsonSerializer.SerializeToUtf8Bytes(entry, WorkflowJson.CompactOptions).Length + 1;
            if (entries.Count > 0 && bytes + size > NightLimits.ChunkBytes) break;
            entries.Add((entry, line.ETag));
            bytes += size;
            next++;
            position = newline + 1;
        }
        if (entries.Count == 0 && !(atEnd && position == data.Length))
            throw new JsonException($"the manifest of batch {request.Batch} has no complete line at byte {request.ByteOffset}");
        NightChunkEntry[] result = [.. entries.Select(e => e.Entry)];
        if (!night.Force)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, result.Length),
                new ParallelOptions { MaxDegreeOfParallelism = CheckConcurrency, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    // The exposure's auxiliary blobs at their current versions, as its plan would pin them; one missing: not done.
                    string? auxiliary = await AuxiliaryKeyAsync(night, result[i].Input, token).ConfigureAwait(false);
                    if (auxiliary is null) return;
                    string resultKey = ReductionNames.ResultKey(result[i].Input, entries[i].ETag, canonical + auxiliary + RunPsf.Key(night.Psf, null), night.TileSize);
                    if (await IsDoneAsync(result[i].Output, resultKey, token).ConfigureAwait(false))
                        result[i] = result[i] with { Done = true };
                }).ConfigureAwait(false);
        }
        return new NightChunk(result, next, request.ByteOffset + position, atEnd && position == data.Length);
    }

    /// <summary>Writes one part of a batch's report (JSON Lines); a retry rewrites the same part whole.</summary>
    public async Task<BlobPath> WritePartAsync(BatchPart part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        BlobPath path = NightLayout.Part(part.Night, part.Batch, part.Part);
        using var content = new MemoryStream(JsonLines(part.Entries), writable: false);
        await store.WriteAsync(path, content, overwrite: true, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>
    /// Merges the batches' parts into the night report (batch by batch, each batch's lines in input-name order, so the
    /// report's order does not depend on which exposure finished first), writes the summary, and removes the night's
    /// intermediates. Returns the summary.
    /// </summary>
    public async Task<NightSummary> FinishAsync(NightFinish finish, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finish);
        NightRequest night = finish.Night;
        BlobPath report = NightLayout.Report(night);
        NightTotals t;
        using (var content = new NightReportStream(this, night, finish.Batches, cancellationToken))
        {
            await store.WriteAsync(report, content, overwrite: true, cancellationToken).ConfigureAwait(false);
            // The summary counts the report's lines, not the sums the orchestrations carried: one source, so the two agree
            // whatever a redelivery or a restart did to the counters on their way up.
            t = content.Totals;
        }
        double wall = Math.Max(0, (finish.Finished - finish.Started).TotalSeconds);
        var summary = new NightSummary(night.InstanceId, night.Container, night.Prefix, night.OutputContainer, night.OutputPrefix,
            finish.Started, finish.Finished, wall, finish.Batches, t.Exposures, t.Succeeded, t.Failed, t.Skipped, t.InputBytes, t.OutputBytes,
            t.ActivitySeconds, wall > 0 ? (t.Succeeded + t.Failed) / wall : 0, report);
        using (var json = new MemoryStream(WorkflowJson.SerializeToUtf8(summary), writable: false))
            await store.WriteAsync(NightLayout.Summary(night), json, overwrite: true, cancellationToken).ConfigureAwait(false);
        await store.DeletePrefixAsync(night.OutputContainer, NightLayout.WorkPrefix(night), cancellationToken).ConfigureAwait(false);
        return summary;
    }

    /// <summary>The report entries of one batch, in input-name order.</summary>
    internal async Task<List<NightReportEntry>> BatchEntriesAsync(NightRequest night, int batch, CancellationToken cancellationToken)
    {
        var entries = new List<NightReportEntry>();
        await foreach (BlobInfo part in store.ListAsync(night.OutputContainer, NightLayout.PartPrefix(night, batch), cancellationToken).ConfigureAwait(false))
        {
            byte[] data = await store.ReadAllAsync(part.Path, cancellationToken).ConfigureAwait(false);
            foreach (string line in Encoding.UTF8.GetString(data).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                entries.Add(JsonSerializer.Deserialize<NightReportEntry>(line, WorkflowJson.CompactOptions)
                    ?? throw new JsonException($"a null line in {part.Path}"));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Input.Name, b.Input.Name));
        return entries;
    }

    /// <summary>Entries as JSON Lines (compact, one per line, each ending with a newline).</summary>
    public static byte[] JsonLines<T>(IEnumerable<T> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var buffer = new MemoryStream();
        foreach (T entry in entries)
        {
            JsonSerializer.Serialize(buffer, entry, WorkflowJson.CompactOptions);
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }

    private async Task WriteManifestAsync(NightRequest night, int batch, List<NightManifestEntry> entries, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(JsonLines(entries), writable: false);
        await store.WriteAsync(NightLayout.Manifest(night, batch), content, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the run key of <paramref name="input"/> adds for its auxiliary inputs; null when one of them does not exist.</summary>
    private async Task<string?> AuxiliaryKeyAsync(NightRequest night, BlobPath input, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, BlobPath>? blobs;
        try
        {
            blobs = NightAuxiliary.Resolve(night, input);
        }
        catch (ArgumentException)
        {
            return null; // not a valid name for this exposure: its reduction reports it
        }
        if (blobs is null) return "";
        var versions = new List<(string, BlobPath, string)>();
        foreach (var (name, path) in blobs)
        {
            try
            {
                versions.Add((name, path, (await store.GetPropertiesAsync(path, cancellationToken).ConfigureAwait(false)).ETag));
            }
            catch (BlobNotFoundException)
            {
                return null;
            }
        }
        return AuxiliaryBlobs.Key(versions);
    }

    private async Task<bool> IsDoneAsync(BlobPath output, string resultKey, CancellationToken cancellationToken)
    {
        byte[] head;
        try
        {
            head = await store.ReadRangeAsync(ReductionNames.Metadata(output), 0, MetadataHeadBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobNotFoundException)
        {
            return false;
        }
        return ResultKeyOf(head) == resultKey && await store.ExistsAsync(output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The top-level <c>resultKey</c> of a metadata document from its first bytes, or null: the output holds this input
    /// version reduced this way, whichever run (trigger, API, an earlier night) made it.
    /// </summary>
    internal static string? ResultKeyOf(ReadOnlySpan<byte> head)
    {
        var reader = new Utf8JsonReader(head, isFinalBlock: false, default);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("resultKey"u8))
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (reader.CurrentDepth >= 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                    return null; // cut short by the head's end: the id was not before it
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
