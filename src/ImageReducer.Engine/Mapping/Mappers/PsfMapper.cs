using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// <c>psf</c>: the input's PSF evaluated at the cell centre, frozen as a <see cref="KernelImagePsf"/>
/// whose average position is that centre, returned with the cell box as a <see cref="PsfResult"/>
/// (the input of the <c>coaddPsf</c> reduce operation).
/// </summary>
[MapperName("psf", Description = "The PSF evaluated at each cell centre, with the cell box (input for coaddPsf).")]
public sealed class PsfMapper : IMapper
{
    /// <inheritdoc/>
    /// <exception cref="InvalidPsfException">The exposure has no PSF.</exception>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var psf = cell.Psf ?? throw new InvalidPsfException(
            $"The psf mapper needs an exposure with a PSF model; cell {context?.CellIndex} ({cell.Box}) has none.");
        Point2D centre = cell.Box.Center;
        using Image<double> kernel = psf.ComputeKernelImage(centre);
        return new PsfResult(new KernelImagePsf(kernel, averagePosition: centre), cell.Box);
    }
}
