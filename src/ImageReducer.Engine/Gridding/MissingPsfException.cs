namespace ImageReducer.Engine.Gridding;

/// <summary>
/// The configuration needs the exposure's PSF (no explicit cell centroids and
/// <c>scaleByFwhm</c> = true, so the grid sizes are in FWHM units) but the exposure has none.
/// </summary>
public sealed class MissingPsfException(string message) : InvalidOperationException(message);
