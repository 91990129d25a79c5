namespace ImageReducer.Workflow.Reduction;

/// <summary>How a reduction ended.</summary>
public enum ReductionStatus
{
    /// <summary>The output and its metadata are written.</summary>
    Succeeded,
    /// <summary>A domain error (input, configuration, limits, mapper); nothing was published.</summary>
    Failed,
}
