namespace ImageReducer.Workflow.Reduction;

/// <summary>The input of the <c>ReduceExposureWhole</c> activity: one exposure reduced in one activity.</summary>
/// <param name="Request">
/// What to reduce (its <see cref="ReductionRequest.InstanceId"/> set to the orchestration that owns the run, so a redelivered
/// activity finds its own committed output; its <see cref="ReductionRequest.Flow"/> decides whether the memory budget applies).
/// </param>
public sealed record WholeExposureTask(ReductionRequest Request)
{
    /// <summary>
    /// True when a bad input (<see cref="Engine.Errors.ErrorClass.BadInput"/>) is copied to quarantine by the activity itself
    /// (a Durable run: a night calls this activity without an orchestration around it); false in-process.
    /// </summary>
    public bool Quarantine { get; init; }
}

/// <summary>The output of the <c>ReduceExposureWhole</c> activity.</summary>
/// <param name="Summary">The run's outcome; null when the exposure does not fit the memory budget and must be reduced tiled.</param>
/// <param name="Pixels">The exposure's pixel count (0 when the input could not be read).</param>
/// <param name="EstimatedBytes">Its estimated whole-activity peak (<see cref="ExposureFlowPolicy.EstimatedBytes"/>).</param>
public sealed record WholeExposureResult(ReductionSummary? Summary, long Pixels, long EstimatedBytes)
{
    /// <summary>True when the activity reduced the exposure (succeeded or failed); false when it left it to the tiled flow.</summary>
    public bool Ran => Summary is not null;

    /// <summary>Where the quarantined copy went, when the activity quarantined a bad input.</summary>
    public Storage.BlobPath? Quarantined { get; init; }
}
