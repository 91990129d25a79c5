using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Psf;

/// <summary>Adaptive (Gaussian-weighted, iterated, SDSS-style) second moments of a kernel image.</summary>
public static class AdaptiveMoments
{
    /// <summary>Measures the shape of <paramref name="kernel"/> around its origin (0,0).</summary>
    public static PsfShape Measure(Image<double> kernel) => throw new NotImplementedException("PLACEHOLDER: the PSF work fills this in");
}
