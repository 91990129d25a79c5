using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Fits;

/// <summary>An exposure file without its pixels (see <see cref="ExposureFits.ReadInfo"/>).</summary>
/// <param name="Format">The layout found (or named).</param>
/// <param name="Box">The exposure's box in parent coordinates (origin = xy0).</param>
/// <param name="Psf">The PSF stored in the file, or null.</param>
/// <param name="Wcs">The WCS cards, as <see cref="Exposure.Wcs"/> of the exposure read from the file.</param>
/// <param name="Metadata">The metadata cards, as <see cref="Exposure.Metadata"/>.</param>
public sealed record ExposureFileInfo(ExposureFormat Format, Box Box, Psf? Psf, IReadOnlyList<HeaderCard> Wcs, IReadOnlyList<HeaderCard> Metadata);
