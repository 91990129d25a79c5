using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping;

/// <summary>
/// A mapper whose result depends on its cell's own pixels only: not on the border, the cell's index, the run's options
/// or auxiliary inputs. The runner then maps a cell from the whole exposure (or the piece of it a part of a run holds) and
/// the cell's box, without making the cell's and the expanded cell's views and the context for every cell (for a light
/// mapper such as <c>add</c> those objects were ~10 % of a warm run), unless the run hands the cells' views back
/// (<c>returnSubImages</c>).
/// </summary>
/// <remarks>
/// <see cref="MapBox"/> must give exactly what <see cref="IMapper.Map"/> gives for the view <c>exposure.Sub(box)</c>:
/// the runner calls either, and its outputs are the same bytes whichever it calls. The simplest way to keep that true
/// is to implement <see cref="IMapper.Map"/> as <c>MapBox(cell, cell.Box)</c>. A mapper that declares auxiliary inputs
/// is always called through <see cref="IMapper.Map"/>.
/// </remarks>
public interface ICellLocalMapper : IMapper
{
    /// <summary>Maps the cell <paramref name="box"/> of <paramref name="exposure"/> (parent coordinates, inside it).</summary>
    /// <param name="exposure">The exposure the cell is cut from (the whole input, or a view holding the cell); read only.</param>
    /// <param name="box">The cell.</param>
    MapResult MapBox(Exposure exposure, Box box);
}
