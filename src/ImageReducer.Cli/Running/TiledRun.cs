using ImageReducer.Cli.Errors;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Cli.Running;

/// <summary>
/// <c>imred run --tile-size ROWS</c> and <c>az://</c> inputs/outputs: the workflow's Plan / MapTile / Reduce
/// steps run in this process (<see cref="TiledReduction"/>), against blob storage or, for local files,
/// a temporary folder store. The output is byte-identical to the in-process run.
/// </summary>
internal static class TiledRun
{
    /// <summary>True when the run must go through the workflow steps.</summary>
    public static bool Applies(int? tiles, params string?[] paths) =>
        tiles is not null || paths.Any(p => p is not null && p.StartsWith(BlobPath.Scheme, StringComparison.Ordinal));

    /// <summary>
    /// Runs one reduction; returns the workflow's summary. The metadata JSON is <paramref name="metadata"/> for local files, by default
    /// <c>OUTPUT.metadata.json</c> as for the in-process run; for blobs it is always beside the output (<see cref="ReductionNames.Metadata"/>).
    /// </summary>
    /// <exception cref="UsageException">Mixed local and blob paths, or <paramref name="metadata"/> with blob paths.</exception>
    /// <exception cref="RunFailedException">The workflow rejected the input or the configuration (the exit code of its error class).</exception>
    public static async Task<(ReductionSummary Summary, string OutputText, string MetadataText)> ExecuteAsync(string input, string output, string? connection,
        int? tiles, MapReduceConfig config, EngineOptions engine, int concurrentTiles, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? auxiliary = null, string? metadata = null, string? psf = null)
    {
        auxiliary ??= new Dictionary<string, string>();
        bool blobIn = input.StartsWith(BlobPath.Scheme, StringComparison.Ordinal), blobOut = output.StartsWith(BlobPath.Scheme, StringComparison.Ordinal);
        if (blobIn != blobOut)
            throw new UsageException($"INPUT and the output must both be az:// blob paths or both local files (got '{input}' and '{output}')");
        if (blobIn && metadata is not null)
            throw new UsageException($"--metadata is for local outputs; the metadata of an az:// run is the blob beside its output ({BlobPath.Scheme}{ReductionNames.Metadata(Parse(output, "the output"))})");
        if (blobIn)
        {
            IBlobStore store = BlobStoreFactory.Create(Commands.StorageConnection.Resolve(connection));
            BlobPath from = Parse(input, "INPUT"), to = Parse(output, "the output");
            var blobs = new Dictionary<string, BlobPath>(StringComparer.Ordinal);
            foreach (var (name, text) in auxiliary)
            {
                if (!text.StartsWith(BlobPath.Scheme, StringComparison.Ordinal))
                    throw new UsageException($"--aux {name}={text}: with an az:// INPUT every auxiliary input must be an az:// blob too");
                blobs[name] = Parse(text, $"--aux {name}");
            }
            var summary = await RunAsync(store, from, to, config, tiles, engine, concurrentTiles, cancellationToken, blobs, BlobPsf(psf));
            return (summary, BlobPath.Scheme + to, BlobPath.Scheme + ReductionNames.Metadata(to));
        }

        // Local files: the same steps over a temporary folder store, then the outputs are moved into place.
        var inputFile = new FileInfo(input);
        if (!inputFile.Exists) throw new InputDataException($"input file {inputFile.FullName} does not exist");
        string root = Directory.CreateTempSubdirectory("imred-tiles-").FullName;
        try
        {
            var store = new LocalFolderBlobStore(root);
            var from = new BlobPath("input", "exposure.fits");
            var to = new BlobPath("output", "result");
            string outputPath = Path.GetFullPath(output), metadataPath = Path.GetFullPath(metadata ?? outputPath + ReductionNames.MetadataSuffix);
            // Another run may publish to the same files meanwhile: this one publishes only over the version it saw.
            string? seen = LocalOutputPublisher.VersionOf(outputPath);
            await using (FileStream s = inputFile.OpenRead()) await store.WriteAsync(from, s, overwrite: true, cancellationToken);
            var blobs = new Dictionary<string, BlobPath>(StringComparer.Ordinal);
            foreach (var (name, text) in auxiliary)
            {
                if (text.StartsWith(BlobPath.Scheme, StringComparison.Ordinal))
                    throw new UsageException($"--aux {name}={text}: with a local INPUT every auxiliary input must be a local file too");
                var file = new FileInfo(text);
                Files.InputFile.MustExist(file);
                blobs[name] = new BlobPath("auxiliary", name + ".fits");
                await using FileStream s = file.OpenRead();
                await store.WriteAsync(blobs[name], s, overwrite: true, cancellationToken);
            }
            var summary = await RunAsync(store, from, to, config, tiles, engine, concurrentTiles, cancellationToken, blobs,
                await LocalPsfAsync(store, psf, cancellationToken));
            await LocalOutputPublisher.PublishAsync(store, to, ReductionNames.Metadata(to), outputPath, metadataPath, seen, summary.RunId ?? "", cancellationToken);
            return (summary, outputPath, metadataPath);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<ReductionSummary> RunAsync(IBlobStore store, BlobPath input, BlobPath output, MapReduceConfig config, int? tiles,
        EngineOptions engine, int concurrentTiles, CancellationToken cancellationToken, IReadOnlyDictionary<string, BlobPath> auxiliary, string? psf)
    {
        // Without --tile-size a blob run is one tile: the whole exposure, as the in-process run.
        int tileSize = tiles ?? int.MaxValue;
        var services = ReductionServices.Create(store) with { Engine = engine };
        ReductionSummary summary = await new TiledReduction(services).RunAsync(new ReductionRequest(input, output, config, tileSize) { Auxiliary = auxiliary.Count > 0 ? auxiliary : null, Psf = psf },
            concurrentTiles, cancellationToken: cancellationToken);
        if (summary.Status != ReductionStatus.Succeeded) throw RunFailedException.Of(summary.Error ?? "the tiled run failed", summary.ErrorDetail);
        return summary;
    }

    /// <summary>--psf of a blob run: as given, a kernel being a blob of the same storage (kernel:az://container/name).</summary>
    private static string? BlobPsf(string? psf)
    {
        if (psf is null) return null;
        try
        {
            return RunPsf.Validate(psf).Text;
        }
        catch (ConfigValidationException e)
        {
            throw new UsageException("--psf " + e.Message, e);
        }
    }

    /// <summary>--psf of a local run: a kernel file is copied into the run's store and named as a blob there; other specs as given.</summary>
    private static async Task<string?> LocalPsfAsync(IBlobStore store, string? psf, CancellationToken cancellationToken)
    {
        if (psf is null) return null;
        var spec = ImageReducer.Cli.Config.PsfSpecParser.ParseSpec(psf);
        if (spec.KernelSource is null) return spec.Text;
        var file = new FileInfo(spec.KernelSource);
        Files.InputFile.MustExist(file);
        var blob = new BlobPath("psf", "kernel.fits");
        await using (FileStream s = file.OpenRead()) await store.WriteAsync(blob, s, overwrite: true, cancellationToken);
        return "kernel:" + BlobPath.Scheme + blob;
    }

    private static BlobPath Parse(string text, string what)
    {
        try
        {
            return BlobPath.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UsageException($"{what} '{text}': {e.Message}", e);
        }
    }
}
