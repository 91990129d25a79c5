using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>Cell <c>outsideCell</c>'s result is its expanded cell grown by 3 (clipped to the exposure), read from <c>whole</c> (the input, or an untouched copy of it when the input is consumed); the others add 1.5 to a clone of the cell.</summary>
internal sealed class OutsideMapper(Exposure whole, int outsideCell) : IMapper
{
    private int calls;
    public int Calls { get => Volatile.Read(ref calls); set => Volatile.Write(ref calls, value); }

    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        Interlocked.Increment(ref calls);
        Exposure sub = context.CellIndex == outsideCell ? whole.Sub(expandedCell.Box.Grow(3).Clip(whole.Box)).Clone() : cell.Clone();
        for (int j = 0; j < sub.Height; j++)
            foreach (ref float p in sub.Image.RowAt(j)) p += 1.5f;
        return new ExposureResult(sub);
    }
}
