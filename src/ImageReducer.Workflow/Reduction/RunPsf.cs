using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The PSF a run uses: the caller's spec (<see cref="ReductionRequest.Psf"/>, the syntax of <c>imred run --psf</c>) when
/// given, else the one stored in the input. A <c>kernel:</c> spec names a blob (<c>kernel:az://container/name</c>); the plan
/// pins its version and every tile and the reduce read that version, so all of a run's steps use the same kernel.
/// </summary>
public static class RunPsf
{
    /// <summary>Largest kernel blob accepted: a PSF file is a few kilobytes.</summary>
    public const long MaxKernelBytes = 64L << 20;

    /// <summary>
    /// The PSF of <paramref name="spec"/> (with the kernel blob at <paramref name="kernelETag"/> when given, else its current
    /// version, returned), or <paramref name="stored"/> when there is no spec.
    /// </summary>
    /// <exception cref="ConfigValidationException">The spec is malformed (a caller error).</exception>
    /// <exception cref="BlobNotFoundException">The kernel blob does not exist.</exception>
    /// <exception cref="FitsException">The kernel blob is no PSF or kernel image.</exception>
    public static async Task<(Psf? Psf, string? KernelETag)> ResolveAsync(IBlobStore store, string? spec, string? kernelETag, Psf? stored,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (spec is null) return (stored, null);
        PsfSpec parsed = PsfSpec.Parse(spec);
        if (parsed.KernelSource is null) return (parsed.Create(_ => throw new InvalidOperationException("an analytic PSF reads no kernel")), null);

        BlobPath blob = KernelBlob(parsed);
        BlobInfo info = await store.GetPropertiesAsync(blob, cancellationToken).ConfigureAwait(false);
        string eTag = kernelETag ?? info.ETag;
        if (info.Size > MaxKernelBytes)
            throw FitsErrors.InvalidPsf(blob.ToString(), 0, $"a kernel of {info.Size} bytes is larger than the {MaxKernelBytes >> 20} MiB a kernel may take");
        byte[] bytes = new byte[info.Size];
        int n = info.Size == 0 ? 0 : await store.ReadIntoAsync(blob, 0, bytes, eTag, cancellationToken).ConfigureAwait(false);
        using var reader = new FitsReader(new MemoryStream(bytes, 0, n, writable: false), FitsReadOptions.Default, blob.ToString(), leaveOpen: false);
        return (parsed.Create(_ => PsfSpec.ReadKernel(reader, blob.ToString())), eTag);
    }

    /// <summary>What the spec adds to the run id: another PSF (or kernel version) is another run.</summary>
    public static string Key(string? spec, string? kernelETag) => spec is null ? "" : $"\npsf={PsfSpec.Parse(spec).Text}\npsfETag={kernelETag}";

    /// <summary>Checks <paramref name="spec"/> as a workflow request may carry it: the syntax, and a kernel that is a blob path.</summary>
    /// <exception cref="ConfigValidationException">It is not.</exception>
    public static PsfSpec Validate(string spec)
    {
        PsfSpec parsed = PsfSpec.Parse(spec);
        if (parsed.KernelSource is not null) KernelBlob(parsed);
        return parsed;
    }

    private static BlobPath KernelBlob(PsfSpec spec)
    {
        try
        {
            return BlobPath.Parse(spec.KernelSource!);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ConfigValidationException(PsfSpec.Field, $"'{spec.Text}': the kernel of a workflow run is a blob, kernel:az://container/name ({e.Message})");
        }
    }
}
