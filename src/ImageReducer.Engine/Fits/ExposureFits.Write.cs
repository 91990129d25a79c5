using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

public static partial class ExposureFits
{
    /// <summary>Writes <paramref name="exposure"/> to <paramref name="stream"/> (need not be seekable).</summary>
    /// <exception cref="ArgumentException">A metadata or WCS card cannot be written as FITS.</exception>
    /// <exception cref="NotSupportedException">The PSF type has no file form.</exception>
    public static void Write(Exposure exposure, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        ArgumentNullException.ThrowIfNull(stream);
        var layout = ExposureFitsLayout.Create(exposure);
        stream.Write(layout.EncodeHeader(layout.Primary, FitsChecksum.Zero));
        WritePlane(stream, layout, ExposurePlane.Image, exposure.Image);
        WritePlane(stream, layout, ExposurePlane.Mask, exposure.Mask.Pixels);
        WritePlane(stream, layout, ExposurePlane.Variance, exposure.Variance);
        if (layout.Psf is { } psf)
        {
            stream.Write(layout.EncodeHeader(psf, layout.DataChecksum(psf)));
            stream.Write(layout.PsfData);
            FitsWriter.WritePadding(stream, psf.DataLength);
        }
        stream.Flush();
    }

    /// <summary>
    /// Writes <paramref name="exposure"/> to <paramref name="path"/> atomically: a temp file in the same
    /// folder, renamed over the target when complete; on error the temp file is deleted and the target
    /// is left as it was.
    /// </summary>
    public static void Write(Exposure exposure, string path)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        AtomicFile.Write(path, s => Write(exposure, s));
    }

    private static void WritePlane<T>(Stream stream, ExposureFitsLayout layout, ExposurePlane plane, Image<T> pixels)
    {
        var hdu = layout.Plane(plane);
        // The sum comes from the native pixels (no swapped copy), so the header can precede the data on any stream.
        stream.Write(layout.EncodeHeader(hdu, FitsWriter.DataChecksum(pixels)));
        FitsWriter.WriteRows(stream, pixels, 0, pixels.Height);
        FitsWriter.WritePadding(stream, hdu.DataLength);
    }
}
