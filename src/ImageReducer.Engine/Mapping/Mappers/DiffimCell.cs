using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Statistics;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// What the image-differencing mappers (<see cref="DecorrelateALMapper"/>, <see cref="ZogyMapper"/>) share per cell:
/// the reference's clipped variance mean, its NaN fill value, the unchanged cell it returns when there is nothing to
/// do, and the validation of their common <c>ignoreMaskPlanes</c> option.
/// </summary>
internal static class DiffimCell
{
    /// <summary>afw's <c>MEANCLIP</c> as both reference mappers use it: 3σ, 3 iterations. Immutable and thread-safe.</summary>
    private static readonly SigmaClippedStatistics Clipped = new(3.0, 3);

    /// <summary>The sigma-clipped mean of <paramref name="exposure"/>'s variance plane, pixels with an ignored plane set left out.</summary>
    public static double ClippedVarianceMean(Exposure exposure, IReadOnlyList<string> ignoreMaskPlanes)
    {
        int ignored = SigmaClippedStatistics.IgnoredBits(exposure.Mask.Planes, ignoreMaskPlanes);
        return Clipped.Compute(exposure.Variance, exposure.Mask, ignored).ClippedMean;
    }

    /// <summary>The mean of the finite pixels (the reference's fill value for NaN pixels before an FFT); NaN when none is finite.</summary>
    public static double FiniteMean(Image<float> image)
    {
        double s = 0;
        long count = 0;
        for (int r = 0; r < image.Height; r++)
            foreach (float v in image.RowAt(r))
                if (float.IsFinite(v)) { s += v; count++; }
        return count == 0 ? double.NaN : s / count;
    }

    /// <summary>The cell returned as it is (pooled planes, handed to the reducer).</summary>
    public static Exposure Unchanged(Exposure cell)
    {
        Exposure copy = PooledExposure.RentWithMaskAndVariance(cell);
        copy.Image.CopyFrom(cell.Image);
        return copy;
    }

    /// <summary>Checks <c>mapper.ignoreMaskPlanes</c>: an array of non-empty plane names.</summary>
    public static void ValidateIgnoreMaskPlanes(IReadOnlyList<string>? planes)
    {
        if (planes is null)
            throw new ConfigValidationException("mapper.ignoreMaskPlanes", "mapper.ignoreMaskPlanes must be an array of plane names, got null");
        for (int i = 0; i < planes.Count; i++)
            if (string.IsNullOrWhiteSpace(planes[i]))
                throw new ConfigValidationException($"mapper.ignoreMaskPlanes[{i}]", $"mapper.ignoreMaskPlanes[{i}] must be a non-empty plane name");
    }
}
