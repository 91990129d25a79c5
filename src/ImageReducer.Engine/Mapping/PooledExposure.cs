using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping;

/// <summary>
/// Output sub-exposures for mappers, built on buffers rented from the pool. The runner disposes an
/// <see cref="ExposureResult"/>'s exposure once the reducer has folded it in, which returns the
/// buffers; a mapper therefore hands the exposure over and keeps no reference to it.
/// </summary>
public static class PooledExposure
{
    /// <summary>
    /// A new exposure over <paramref name="template"/>'s box whose mask and variance are copies of the
    /// template's and whose image is not initialised (the caller writes every pixel). The mask shares
    /// the template's plane dictionary, so bits mean the same to the reducer; PSF, WCS and metadata are
    /// the template's (immutable, shared).
    /// </summary>
    public static Exposure RentWithMaskAndVariance(Exposure template)
    {
        ArgumentNullException.ThrowIfNull(template);
        Box box = template.Box;
        var image = Image<float>.Rent(box, clear: false);
        var mask = Image<int>.Rent(box, clear: false);
        var variance = Image<float>.Rent(box, clear: false);
        mask.CopyFrom(template.Mask.Pixels);
        variance.CopyFrom(template.Variance);
        return new Exposure(new MaskedImage(image, new Mask(mask, template.Mask.Planes), variance),
            template.Psf, template.Wcs, template.Metadata);
    }

    /// <summary>
    /// A new exposure over <paramref name="template"/>'s box whose image is rented and not initialised
    /// (the caller writes every pixel) and whose mask and variance are non-owning views of the
    /// template's planes: for mappers that change only the image. Disposing it returns the image
    /// only; the views must not be written (they are the input's pixels).
    /// </summary>
    /// <remarks>
    /// Copying planes the mapper does not change was two thirds of the work of a light mapper such as
    /// <c>add</c>, for an identical reduced output (reducers only read results).
    /// </remarks>
    public static Exposure RentImageSharingMaskAndVariance(Exposure template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return WithImage(Image<float>.Rent(template.Box, clear: false), template, template.Box);
    }

    /// <summary>
    /// An exposure over <paramref name="box"/> made of <paramref name="image"/> (which it then owns) and non-owning views
    /// of <paramref name="source"/>'s mask and variance on that box; PSF, WCS and metadata are the source's. As
    /// <see cref="RentImageSharingMaskAndVariance"/>, for a cell cut from a larger exposure without a view of it first.
    /// </summary>
    internal static Exposure WithImage(Image<float> image, Exposure source, Box box)
        => new(new MaskedImage(image, source.Mask.Sub(box), source.Variance.Sub(box)), source.Psf, source.Wcs, source.Metadata);
}
