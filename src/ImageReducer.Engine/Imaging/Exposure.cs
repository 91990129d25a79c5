using ImageReducer.Engine.Fits;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Imaging;

/// <summary>
/// A masked image plus its PSF, WCS (kept as FITS header cards) and free metadata — the
/// reference's <c>ExposureF</c>.
/// </summary>
/// <remarks>
/// <see cref="Sub"/> gives a view: same pixels, same mask-plane dictionary, same PSF, WCS and
/// metadata objects, origin at the box minimum. <see cref="Clone"/> is the only deep copy.
/// </remarks>
public sealed class Exposure : IDisposable
{
    /// <summary>Wraps a masked image (no copy).</summary>
    public Exposure(MaskedImage maskedImage, Psf? psf = null, IReadOnlyList<HeaderCard>? wcs = null,
        IReadOnlyList<HeaderCard>? metadata = null)
    {
        MaskedImage = maskedImage ?? throw new ArgumentNullException(nameof(maskedImage));
        Psf = psf;
        Wcs = wcs ?? [];
        Metadata = metadata ?? [];
    }

    /// <summary>A zero exposure over <paramref name="box"/> with default mask planes.</summary>
    public Exposure(Box box, Psf? psf = null) : this(new MaskedImage(box), psf) { }

    public MaskedImage MaskedImage { get; }
    public Image<float> Image => MaskedImage.Image;
    public Mask Mask => MaskedImage.Mask;
    public Image<float> Variance => MaskedImage.Variance;
    /// <summary>The box in parent coordinates; its minimum is xy0.</summary>
    public Box Box => MaskedImage.Box;
    public int Width => Box.Width;
    public int Height => Box.Height;

    /// <summary>The point-spread function model, if any.</summary>
    public Psf? Psf { get; set; }

    /// <summary>The WCS as FITS cards (CTYPE, CRPIX, CRVAL, CD/PC …), written on every plane HDU.</summary>
    public IReadOnlyList<HeaderCard> Wcs { get; set; }

    /// <summary>Free metadata, written to the primary HDU of an exposure file.</summary>
    public IReadOnlyList<HeaderCard> Metadata { get; set; }

    /// <summary>A view of <paramref name="box"/> (parent coordinates) sharing pixels, PSF, WCS and metadata.</summary>
    public Exposure Sub(Box box) => new(MaskedImage.Sub(box), Psf, Wcs, Metadata);

    /// <summary>Deep copy of the pixels and the mask-plane dictionary; PSF, WCS and metadata are immutable and shared.</summary>
    public Exposure Clone() => new(MaskedImage.Clone(), Psf, Wcs, Metadata);

    /// <summary>True when both WCS card lists hold the same keywords and values in the same order.</summary>
    public static bool SameWcs(IReadOnlyList<HeaderCard> a, IReadOnlyList<HeaderCard> b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (a[i].Keyword != b[i].Keyword || !Equals(a[i].Value, b[i].Value)) return false;
        return true;
    }

    public void Dispose() => MaskedImage.Dispose();

    public override string ToString() => $"Exposure({Box}, psf={Psf?.GetType().Name ?? "none"})";
}
