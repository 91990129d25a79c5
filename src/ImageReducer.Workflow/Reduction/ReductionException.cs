namespace ImageReducer.Workflow.Reduction;

/// <summary>A reduction cannot proceed for a reason that retrying will not fix (limits, a changed input, inconsistent tiles).</summary>
public sealed class ReductionException(string message) : InvalidOperationException(message);
