using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// <c>identity</c>: returns the cell unchanged. With <c>copy</c> or <c>average</c> the output
/// reproduces the input (where cells cover it).
/// </summary>
/// <remarks>
/// The result is a non-owning view of the input cell, not a copy: mappers never write into their
/// input and the reducer only reads results, so sharing the pixels is safe even when the reducer
/// folds the result in after later cells ran. The runner disposes every returned sub-exposure;
/// disposing a view does nothing, so the input stays intact.
/// </remarks>
[MapperName("identity", Description = "Returns each cell unchanged (a view of the input).")]
public sealed class IdentityMapper : ICellLocalMapper
{
    /// <inheritdoc/>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return MapBox(cell, cell.Box);
    }

    /// <inheritdoc/>
    public MapResult MapBox(Exposure exposure, Box box)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        // Sub gives a fresh non-owning view even if the runner passed an owning exposure as the cell.
        return new ExposureResult(exposure.Sub(box));
    }
}
