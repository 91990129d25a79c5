using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Nights;

/// <summary>One exposure of a night, as listed: what to reduce and the version found.</summary>
/// <param name="Request">The reduction of this exposure.</param>
/// <param name="ETag">The version listed.</param>
public sealed record NightExposure(ReductionRequest Request, string ETag)
{
    /// <summary>The input blob.</summary>
    public BlobPath Input => Request.Input;
}
