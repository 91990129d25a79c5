namespace ImageReducer.Functions.Starting;

/// <summary>What a start request did.</summary>
/// <param name="InstanceId">The instance (derived from the input, so duplicates share it).</param>
/// <param name="Started">True when this call scheduled the instance; false when it already existed.</param>
public sealed record StartOutcome(string InstanceId, bool Started);
