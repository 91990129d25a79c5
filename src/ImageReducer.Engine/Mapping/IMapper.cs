using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Auxiliary;

namespace ImageReducer.Engine.Mapping;

/// <summary>
/// Processes one cell. Gets views (never copies) of the cell and of the expanded cell; returns
/// either a sub-exposure to stitch (<see cref="ExposureResult"/>) or a value.
/// </summary>
/// <remarks>
/// Implementations hold only their parameters and must be thread-safe: the runner calls
/// <see cref="Map"/> for different cells concurrently. A mapper must not write into the input
/// views; it returns new pixels (pooled work buffers are fine).
/// </remarks>
public interface IMapper
{
    /// <summary>Maps one cell.</summary>
    /// <param name="cell">The cell view (origin = cell box minimum).</param>
    /// <param name="expandedCell">The expanded-cell view (cell + border, clipped to the exposure).</param>
    /// <param name="context">Cell index, full box, run options and cancellation.</param>
    MapResult Map(Exposure cell, Exposure expandedCell, MapContext context);

    /// <summary>
    /// The extra inputs this mapper reads beside the main exposure (a template, a matching kernel…), which the runner
    /// cuts to each expanded cell and hands over in <see cref="MapContext.Auxiliary"/>. None by default.
    /// </summary>
    IReadOnlyList<AuxiliaryInput> AuxiliaryInputs => [];
}

/// <summary>What a mapper knows about the run besides its two views.</summary>
/// <param name="CellIndex">Index of the cell in grid order.</param>
/// <param name="FullBox">The whole exposure's box.</param>
/// <param name="Options">Engine options (parallelism of nested work).</param>
/// <param name="CancellationToken">Cancels the run.</param>
public sealed record MapContext(int CellIndex, Box FullBox, EngineOptions Options, CancellationToken CancellationToken = default)
{
    /// <summary>The auxiliary inputs' views of this cell's expanded box (see <see cref="IMapper.AuxiliaryInputs"/>).</summary>
    public AuxiliaryCell Auxiliary { get; init; } = AuxiliaryCell.Empty;
}
