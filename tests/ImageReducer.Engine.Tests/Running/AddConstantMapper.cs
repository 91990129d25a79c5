using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// LSST's AddAmountImageMapper: a clone of the cell with <see cref="Amount"/> added to the image
/// plane (mask and variance unchanged); with <see cref="NaNCorner"/>, pixel [0,0] of the returned
/// sub-image is NaN (the LSST test's <c>addNans</c>).
/// </summary>
internal sealed class AddConstantMapper(float amount, bool nanCorner = false) : IMapper
{
    public float Amount { get; } = amount;
    public bool NaNCorner { get; } = nanCorner;

    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        Exposure sub = cell.Clone();
        for (int j = 0; j < sub.Height; j++)
            foreach (ref float p in sub.Image.RowAt(j)) p += Amount;
        if (NaNCorner) sub.Image[sub.Box.MinX, sub.Box.MinY] = float.NaN;
        return new ExposureResult(sub);
    }
}
