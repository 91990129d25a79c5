using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Reducing;

/// <summary>What a reduction produced; which members are set depends on the operation.</summary>
public sealed record ReduceResult
{
    /// <summary>The stitched exposure (<c>copy</c>, <c>sum</c>, <c>average</c>); the caller owns and disposes it.</summary>
    public Exposure? Exposure { get; init; }

    /// <summary>The mapper results as they are, in cell order (<c>none</c>).</summary>
    public IReadOnlyList<MapResult>? Results { get; init; }

    /// <summary>The combined PSF (<c>coaddPsf</c>); for <c>sum</c>/<c>average</c> it is also <see cref="Exposure"/>.Psf.</summary>
    public Psf? Psf { get; init; }

    /// <summary>Contribution counts of the stitched pixels (<c>copy</c>, <c>sum</c>, <c>average</c>).</summary>
    public OverlapStatistics? Overlap { get; init; }
}
