using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Config;

/// <summary>The reference's <c>ImageReducerConfig</c>.</summary>
public sealed record ReducerConfig
{
    /// <summary>The reference's default bad planes.</summary>
    public static IReadOnlyList<string> DefaultBadMaskPlanes { get; } = ["INVALID_MAPREDUCE", "BAD", "NO_DATA"];

    /// <summary>What to do with the mapper results; default <c>average</c>.</summary>
    public ReduceOperation ReduceOperation { get; init; } = ReduceOperation.Average;

    /// <summary>Planes added (if missing) and set on output pixels with no valid value.</summary>
    public IReadOnlyList<string> BadMaskPlanes { get; init; } = DefaultBadMaskPlanes;

    /// <exception cref="ConfigValidationException">An unknown operation or an empty plane name.</exception>
    public void Validate()
    {
        if (ReduceOperation is null)
            throw new ConfigValidationException("reducer.reduceOperation", $"reducer.reduceOperation must be one of (exact case): {ReduceOperation.AllowedNames}");
        if (BadMaskPlanes is null) throw new ConfigValidationException("reducer.badMaskPlanes", "reducer.badMaskPlanes must not be null");
        for (int i = 0; i < BadMaskPlanes.Count; i++)
            if (string.IsNullOrWhiteSpace(BadMaskPlanes[i]))
                throw new ConfigValidationException($"reducer.badMaskPlanes[{i}]", $"reducer.badMaskPlanes[{i}] must be a non-empty plane name");
    }

    public bool Equals(ReducerConfig? other) => other is not null && ReduceOperation == other.ReduceOperation && BadMaskPlanes.SequenceEqual(other.BadMaskPlanes);
    public override int GetHashCode() => HashCode.Combine(ReduceOperation?.Name, BadMaskPlanes.Count);
}
