using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Auxiliary;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// <c>subtract</c>: the plain difference of the main exposure and the auxiliary <c>template</c> exposure on each cell —
/// image <c>I − T</c>, variance <c>V + V_T</c>, mask the OR of both masks (the template's bits moved to the main
/// exposure's planes by name); PSF, WCS and metadata are the main exposure's.
/// </summary>
/// <remarks>
/// The difference of two images already on one pixel grid and PSF-matched (for example by an A&amp;L matching that
/// produced the kernel <c>decorrelateAL</c> then takes). The arithmetic is float32, as <c>I − T</c> on afw images.
/// </remarks>
[MapperName("subtract", Description = "Difference image: the exposure minus the auxiliary exposure 'template' (variances added, masks ORed).")]
public sealed class SubtractMapper : IMapper
{
    /// <summary>The name of the auxiliary exposure subtracted.</summary>
    public const string Template = "template";

    private static readonly IReadOnlyList<AuxiliaryInput> Inputs =
        [new AuxiliaryInput(Template, AuxiliaryKind.Exposure, "the exposure to subtract, on the same pixel grid")];

    /// <inheritdoc/>
    public IReadOnlyList<AuxiliaryInput> AuxiliaryInputs => Inputs;

    /// <inheritdoc/>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(context);
        Box box = cell.Box;
        Exposure template = context.Auxiliary.Exposure(Template).Sub(box);
        var image = Image<float>.Rent(box, clear: false);
        var mask = Image<int>.Rent(box, clear: false);
        var variance = Image<float>.Rent(box, clear: false);
        var bits = new MaskTranslation(template.Mask.Planes, cell.Mask.Planes);
        for (int j = 0; j < box.Height; j++)
        {
            ReadOnlySpan<float> a = cell.Image.RowAt(j), b = template.Image.RowAt(j), va = cell.Variance.RowAt(j), vb = template.Variance.RowAt(j);
            Span<float> d = image.RowAt(j), vd = variance.RowAt(j);
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = a[i] - b[i];
                vd[i] = va[i] + vb[i];
            }
            Span<int> m = mask.RowAt(j);
            cell.Mask.Pixels.RowAt(j).CopyTo(m);
            bits.OrInto(template.Mask.Pixels.RowAt(j), m);
        }
        return new ExposureResult(new Exposure(new MaskedImage(image, new Mask(mask, cell.Mask.Planes), variance), cell.Psf, cell.Wcs, cell.Metadata));
    }
}
