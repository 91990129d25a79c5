namespace ImageReducer.Engine.Fits;

/// <summary>The on-disk layouts <see cref="ExposureFits"/> reads (see docs/fits-layout.md).</summary>
public enum ExposureFormat
{
    /// <summary>Detect: Lsst, then Hst, then Gemini, then Plain.</summary>
    Auto,
    /// <summary>The reference's layout (spec §7): IMAGE, MASK, VARIANCE extensions.</summary>
    Lsst,
    /// <summary>HST calibrated products: SCI, ERR (σ), DQ extensions.</summary>
    Hst,
    /// <summary>Gemini (DRAGONS) products: SCI, VAR, optional DQ extensions.</summary>
    Gemini,
    /// <summary>A plain 2-D image in the primary HDU.</summary>
    Plain,
}
