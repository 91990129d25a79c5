namespace ImageReducer.Workflow.Reduction;

/// <summary>A reduction cannot proceed for a reason that retrying will not fix (limits, a changed input, inconsistent tiles).</summary>
/// <param name="message">What is wrong, naming the input and, for a limit, its value and the configured maximum.</param>
/// <param name="code">The limit exceeded (<c>MaxPixels</c>, <c>MaxTiles</c>, <c>MaxCells</c>), when that is the reason.</param>
public sealed class ReductionException(string message, string? code = null) : InvalidOperationException(message)
{
    /// <summary>The limit exceeded, or null when the reason is not a limit.</summary>
    public string? Code { get; } = code;
}
