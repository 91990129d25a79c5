using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// <c>mean</c>: the reference's other test mapper (<c>GetMeanImageMapper</c>): the mean of the cell's
/// image plane as a <see cref="ValueResult"/> holding a <see cref="double"/>. NaN pixels are ignored
/// (afw <c>MEAN</c> with the default statistics control: no mask bits, unweighted); sums are float64
/// in row order. A cell with no non-NaN pixel gives NaN.
/// </summary>
[MapperName("mean", Description = "Mean of each cell's image plane (NaNs ignored), as a number.")]
public sealed class MeanMapper : ICellLocalMapper
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
        return new ValueResult(Mean(exposure.Image.Sub(box)));
    }

    /// <summary>The mean of the non-NaN pixels of <paramref name="image"/>, or NaN if there is none.</summary>
    public static double Mean(Image<float> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        double sum = 0;
        long n = 0;
        for (int j = 0; j < image.Height; j++)
        {
            foreach (float v in image.RowAt(j))
            {
                if (float.IsNaN(v)) continue;
                sum += v;
                n++;
            }
        }
        return n > 0 ? sum / n : double.NaN;
    }
}
