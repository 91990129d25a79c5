using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Mapping;

/// <summary>The result of mapping one cell.</summary>
public abstract record MapResult;

/// <summary>A processed sub-exposure, to be stitched back by <c>copy</c>, <c>sum</c> or <c>average</c>.</summary>
/// <remarks>
/// Ownership passes to the runner, which disposes the exposure once the reducer has folded it in:
/// a new exposure (e.g. from <see cref="PooledExposure"/>) returns its pooled buffers then, and a
/// non-owning view of the input (as <c>identity</c> returns) is unaffected. A mapper must therefore
/// never return an owning exposure it keeps using.
/// </remarks>
public sealed record ExposureResult(Exposure SubExposure) : MapResult;

/// <summary>A PSF valid on a box (input for <c>coaddPsf</c>).</summary>
public sealed record PsfResult(Psf Psf, Box Box) : MapResult;

/// <summary>Any other value: a number, a record, a dictionary — anything <c>System.Text.Json</c> can serialise.</summary>
public sealed record ValueResult(object? Value) : MapResult;
