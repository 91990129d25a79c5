using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Output;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Files;

/// <summary>Exposure files through the engine's FITS layer: read with a named or detected layout, write in the reference layout.</summary>
internal static class ExposureFiles
{
    /// <summary>
    /// Reads <paramref name="file"/>; <paramref name="layout"/> is <c>auto</c>, <c>lsst</c>, <c>hst</c>,
    /// <c>gemini</c> or <c>plain</c>; planes are read on up to <paramref name="threads"/> threads (−1: all cores).
    /// </summary>
    /// <remarks>
    /// The file's SHA-256 is computed on another thread (its own sequential pass through the page cache),
    /// not after the read, and is not waited for here: at ~1.8 GB/s on one core the hash takes longer than
    /// the parallel read and verification (<see cref="LoadedExposure.Sha256"/>). <paramref name="hash"/>,
    /// when it is this file's, is a hash started earlier (<c>imred run</c> starts it before its start-up
    /// work, <see cref="InputHash"/>); otherwise the hash starts with the read. A failed read waits for a
    /// hash it started, so no pass outlives the call (the owner of <paramref name="hash"/> stops that one).
    /// </remarks>
    /// <exception cref="InputDataException">The file is missing or unreadable.</exception>
    /// <exception cref="FitsException">The file is not a valid exposure in that layout.</exception>
    public static async Task<LoadedExposure> ReadAsync(FileInfo file, string layout, CancellationToken cancellationToken, int threads = -1, InputHash? hash = null)
    {
        InputFile.MustExist(file);
        cancellationToken.ThrowIfCancellationRequested();
        ExposureReadOptions options = ReadOptions(layout, threads);
        bool own = hash is null || !hash.IsFor(file);
        var sha = own ? Task.Run(() => FileHash.Sha256(file.FullName, cancellationToken), cancellationToken) : hash!.Sha256;
        (Exposure Exposure, ExposureFormat Format, IReadOnlyList<FitsWarning> Warnings) read;
        try
        {
            read = await Task.Run(() => Read(file.FullName, options), cancellationToken);
        }
        finally
        {
            // Never leave a hash this call started running past a failed read (it holds the file open).
            if (own) await Task.WhenAny(sha);
        }
        return new LoadedExposure(read.Exposure, NameOf(read.Format), sha) { Warnings = [.. read.Warnings.Select(w => w.Message)] };
    }

    /// <summary>
    /// Reads <paramref name="file"/> again in the layout it was found in the first time (<paramref name="layout"/>, as
    /// <see cref="LoadedExposure.Layout"/> names it), on up to <paramref name="threads"/> threads: the input an in-place
    /// run restarts from (<see cref="ImageReducer.Engine.Running.MapReduceRunner.RunInPlace"/>). Warnings were reported by the first read.
    /// </summary>
    public static Exposure ReadAgain(FileInfo file, string layout, int threads)
    {
        InputFile.MustExist(file);
        return Read(file.FullName, ReadOptions(layout, threads)).Exposure;
    }

    /// <summary>How a run reads its input: in <paramref name="layout"/> (a <c>--layout</c> name), on up to <paramref name="threads"/> threads.</summary>
    private static ExposureReadOptions ReadOptions(string layout, int threads) =>
        new() { Format = FormatOf(layout), Fits = FitsReadOptions.Default with { MaxDegreeOfParallelism = threads } };

    /// <summary>
    /// Reads an exposure and says which layout it was found in (detected when the options say <c>Auto</c>)
    /// and what the reader found but tolerated (docs/errors.md, "Strictness").
    /// </summary>
    public static (Exposure Exposure, ExposureFormat Format, IReadOnlyList<FitsWarning> Warnings) Read(string path, ExposureReadOptions options)
    {
        using var reader = FitsReader.Open(path, options.Fits);
        ExposureFormat format = options.Format == ExposureFormat.Auto ? ExposureFits.DetectFormat(reader, options.ExtensionVersion) : options.Format;
        // An undetectable layout stays Auto: the engine then throws its LayoutMismatch with the HDU list.
        return (ExposureFits.Read(reader, options with { Format = format }), format, reader.Warnings);
    }

    /// <summary>Prints each of <paramref name="loaded"/>'s warnings as one <c>imred: warning:</c> line on <paramref name="error"/>.</summary>
    public static void PrintWarnings(TextWriter error, LoadedExposure loaded)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (string warning in loaded.Warnings) error.WriteLine($"imred: warning: {warning}");
    }

    /// <summary>
    /// Stages <paramref name="exposure"/> in the reference layout (PSF included) at <paramref name="path"/>,
    /// encoded, summed and written on up to <paramref name="threads"/> threads (−1: all cores).
    /// </summary>
    public static Task WriteAsync(StagedOutputs staged, string path, Exposure exposure, CancellationToken cancellationToken, int threads = -1) =>
        staged.WriteAsync(path, (stream, finalPrefix, ct) => Task.Run(() =>
        {
            // A staged file is a FileStream: written in parallel bands at their offsets (the same bytes as the stream writer's),
            // declared final band by band so the output's SHA-256 follows the write.
            if (stream is FileStream file) ExposureFits.Write(exposure, file.SafeFileHandle, WritersBesideDigest(threads), finalPrefix);
            else ExposureFits.Write(exposure, stream);
        }, ct), cancellationToken);

    /// <summary>
    /// The band writers of a staged exposure: one core fewer than the run's (at least one), because the output's SHA-256
    /// follows the write on a thread of its own and is the write's critical path — one sequential pass (~1.8 GB/s) that
    /// cannot be split, against band writes that every other core shares. Measured on the 2-core VM (4096², 12 alternating
    /// runs): write 0.186 → 0.173 s median with one writer instead of two; the output bytes do not depend on the count.
    /// </summary>
    internal static int WritersBesideDigest(int threads) =>
        Math.Max(1, (threads == -1 ? Environment.ProcessorCount : threads) - 1);

    /// <summary>The engine format of a <c>--layout</c> name.</summary>
    public static ExposureFormat FormatOf(string layout) => layout switch
    {
        "auto" => ExposureFormat.Auto,
        "lsst" => ExposureFormat.Lsst,
        "hst" => ExposureFormat.Hst,
        "gemini" => ExposureFormat.Gemini,
        "plain" => ExposureFormat.Plain,
        _ => throw new UsageException($"--layout {layout}: expected auto, lsst, hst, gemini or plain"),
    };

    /// <summary>The <c>--layout</c> name of an engine format.</summary>
    public static string NameOf(ExposureFormat format) => format.ToString().ToLowerInvariant();
}
