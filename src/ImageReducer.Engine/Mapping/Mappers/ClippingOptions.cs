using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>The checks shared by the options of the mappers that sigma-clip (<c>stats</c>, <c>background</c>).</summary>
internal static class ClippingOptions
{
    /// <exception cref="ConfigValidationException">A null or empty plane name, clipSigma not &gt; 0, or clipIterations below 1.</exception>
    internal static void Validate(IReadOnlyList<string> ignoredMaskPlanes, double clipSigma, int clipIterations)
    {
        if (ignoredMaskPlanes is null)
            throw new ConfigValidationException("mapper.ignoredMaskPlanes", "mapper.ignoredMaskPlanes must be an array of plane names, got null");
        for (int i = 0; i < ignoredMaskPlanes.Count; i++)
            if (string.IsNullOrWhiteSpace(ignoredMaskPlanes[i]))
                throw new ConfigValidationException($"mapper.ignoredMaskPlanes[{i}]", $"mapper.ignoredMaskPlanes[{i}] must be a non-empty plane name");
        ConfigGuard.Positive(clipSigma, "mapper.clipSigma");
        if (clipIterations < 1)
            throw new ConfigValidationException("mapper.clipIterations", $"mapper.clipIterations must be >= 1, got {clipIterations}");
    }
}
