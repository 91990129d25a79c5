namespace ImageReducer.Workflow.Reduction;

/// <summary>Budgets checked by the plan step before any pixel is downloaded.</summary>
/// <remarks>Immutable; the defaults suit a 2 GB Flex Consumption instance with 1024-row tiles.</remarks>
public sealed record WorkflowLimits
{
    /// <summary>Defaults: 2^28 pixels (a 16k × 16k exposure), 1,000,000 cells, 4096 tiles.</summary>
    public static WorkflowLimits Default { get; } = new();

    /// <summary>Largest exposure accepted, in pixels (width × height).</summary>
    public long MaxPixels { get; init; } = 1L << 28;

    /// <summary>Largest grid accepted, in cells.</summary>
    public int MaxCells { get; init; } = 1_000_000;

    /// <summary>Most tiles one exposure may be split into (each is an activity and staged blocks of the output).</summary>
    public int MaxTiles { get; init; } = 4096;

    /// <summary>Throws unless every limit is positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public WorkflowLimits Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxCells);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTiles);
        return this;
    }
}
