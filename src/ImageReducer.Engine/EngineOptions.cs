namespace ImageReducer.Engine;

/// <summary>Runtime options of the engine, passed explicitly (never a static "current" options).</summary>
public sealed record EngineOptions
{
    private readonly int maxDegreeOfParallelism = -1;

    /// <summary>Default options: all cores.</summary>
    public static EngineOptions Default { get; } = new();

    /// <summary>Workers used for cells and rows: −1 (all cores) or &gt; 0.</summary>
    public int MaxDegreeOfParallelism
    {
        get => maxDegreeOfParallelism;
        init => maxDegreeOfParallelism = value == -1 || value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), $"maxDegreeOfParallelism must be -1 or > 0, got {value}");
    }

    /// <summary>The effective number of workers.</summary>
    public int Workers => MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : MaxDegreeOfParallelism;
}
