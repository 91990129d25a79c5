namespace ImageReducer.Engine.Reducing;

/// <summary>What a reduction writes (<see cref="IReducer.Output"/>).</summary>
public enum OutputKind
{
    /// <summary>A stitched exposure in the reference FITS layout (<c>copy</c>, <c>sum</c>, <c>average</c>).</summary>
    Exposure,
    /// <summary>A PSF file (<c>coaddPsf</c>).</summary>
    Psf,
    /// <summary>A JSON list of per-cell results (<c>none</c>).</summary>
    Results,
}
