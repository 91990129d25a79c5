using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>LSST's GetMeanImageMapper: the mean of the cell's image pixels (NaNs ignored, float64) as a value.</summary>
internal sealed class MeanMapper : IMapper
{
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context) => new ValueResult(Mean(cell.Image));

    public static double Mean(Image<float> image)
    {
        double sum = 0;
        long n = 0;
        for (int j = 0; j < image.Height; j++)
            foreach (float p in image.RowAt(j))
                if (!float.IsNaN(p)) { sum += p; n++; }
        return n > 0 ? sum / n : double.NaN;
    }
}
