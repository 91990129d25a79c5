using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Psf;

/// <summary>Places a kernel image (centred on the origin) at a parent position, re-centring it at sub-pixel precision.</summary>
internal static class KernelShift
{
    /// <summary>
    /// Box = kernel box shifted by <c>floor(p + 0.5)</c>; the fractional part is applied by
    /// interpolation and the result renormalised to unit sum.
    /// </summary>
    public static Image<double> PlaceAt(Image<double> kernel, Point2D position)
    {
        int ix = (int)Math.Floor(position.X + 0.5), iy = (int)Math.Floor(position.Y + 0.5);
        var img = kernel.Clone().WithOrigin(kernel.Box.MinX + ix, kernel.Box.MinY + iy);
        // PLACEHOLDER: sub-pixel shift is filled in by the PSF work.
        return img;
    }
}
