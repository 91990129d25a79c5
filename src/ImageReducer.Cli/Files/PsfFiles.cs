using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Output;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Files;

/// <summary>PSF files through the engine's FITS layer.</summary>
internal static class PsfFiles
{
    /// <summary>
    /// <c>--psf kernel:PATH.fits</c>: the PSF of a PSF or exposure file when it has one, else the
    /// first two-dimensional image of the file taken as a kernel image.
    /// </summary>
    public static Psf ReadKernel(FileInfo file)
    {
        InputFile.MustExist(file);
        using var reader = FitsReader.Open(file.FullName);
        return PsfSpec.ReadKernel(reader, file.FullName);
    }

    /// <summary>The PSF of a PSF file or of an exposure file (<c>imred psf</c>).</summary>
    /// <exception cref="InputDataException">The file is missing.</exception>
    /// <exception cref="FitsException">The file holds no PSF or an invalid one.</exception>
    public static Task<Psf> ReadAnyAsync(FileInfo file, CancellationToken cancellationToken) => Task.Run(() =>
    {
        InputFile.MustExist(file);
        return PsfFits.Read(file.FullName);
    }, cancellationToken);

    /// <summary>Stages a PSF file (readable by <c>imred psf</c> and <c>--psf kernel:</c>).</summary>
    public static Task WriteAsync(StagedOutputs staged, string path, Psf psf, CancellationToken cancellationToken) =>
        staged.WriteAsync(path, (stream, ct) => Task.Run(() => PsfFits.Write(psf, stream), ct), cancellationToken);

    /// <summary>Stages one image HDU per kernel image; the origin of each is in its CRVAL1A/CRVAL2A and LTV cards.</summary>
    public static Task WriteKernelsAsync(StagedOutputs staged, string path, IReadOnlyList<Image<double>> images, CancellationToken cancellationToken) =>
        staged.WriteAsync(path, (stream, ct) => Task.Run(() =>
        {
            using var writer = new FitsWriter(stream, leaveOpen: true);
            writer.WriteEmptyPrimary([FitsCard.Create("NKERNEL", images.Count, "number of kernel HDUs (one per --at point)")]);
            for (int i = 0; i < images.Count; i++)
            {
                Box b = images[i].Box;
                writer.WriteImage(images[i],
                [
                    FitsCard.Create("EXTNAME", $"KERNEL{i + 1}", "PSF image at --at point " + (i + 1)),
                    FitsCard.Create("CTYPE1A", "LINEAR", "parent pixel x"),
                    FitsCard.Create("CTYPE2A", "LINEAR", "parent pixel y"),
                    FitsCard.Create("CRPIX1A", 1.0, ""),
                    FitsCard.Create("CRPIX2A", 1.0, ""),
                    FitsCard.Create("CRVAL1A", (double)b.MinX, "x0 of the kernel box"),
                    FitsCard.Create("CRVAL2A", (double)b.MinY, "y0 of the kernel box"),
                    FitsCard.Create("CUNIT1A", "PIXEL", ""),
                    FitsCard.Create("CUNIT2A", "PIXEL", ""),
                    FitsCard.Create("LTV1", (double)-b.MinX, ""),
                    FitsCard.Create("LTV2", (double)-b.MinY, ""),
                ]);
            }
            writer.Flush();
        }, ct), cancellationToken);
}
