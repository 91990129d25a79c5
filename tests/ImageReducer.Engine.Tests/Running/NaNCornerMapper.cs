using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>Returns the cell unchanged except pixel [0,0] of the returned sub-image, which is NaN in the image plane.</summary>
internal sealed class NaNCornerMapper : IMapper
{
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        Exposure sub = cell.Clone();
        sub.Image[sub.Box.MinX, sub.Box.MinY] = float.NaN;
        return new ExposureResult(sub);
    }
}
