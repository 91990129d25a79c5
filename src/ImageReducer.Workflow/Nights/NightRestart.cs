using ImageReducer.Workflow.Api;

namespace ImageReducer.Workflow.Nights;

/// <summary>
/// When a night asked for again runs again under the same id rather than being returned as it is: the one rule for the
/// HTTP start (Functions) and the task-hub start (<c>imred night --connection</c>).
/// </summary>
public static class NightRestart
{
    /// <summary>
    /// A night that has ended without every exposure reduced (failed, terminated, or completed with failed exposures)
    /// starts again: the rerun skips every exposure whose output exists from the same run inputs, so it resumes the night.
    /// A night that ended with all its exposures reduced is returned as it is, unless <paramref name="force"/>. A night still
    /// running is never restarted.
    /// </summary>
    /// <param name="force">The request's <c>force</c>.</param>
    /// <param name="hasEnded">The instance has ended (completed, failed, terminated).</param>
    /// <param name="runtimeStatus">The instance's runtime status name (<c>Completed</c>, <c>Failed</c>, …).</param>
    /// <param name="progress">The night's custom status, when it has one.</param>
    public static bool ShouldRestart(bool force, bool hasEnded, string runtimeStatus, ReductionProgress? progress) =>
        hasEnded && (force || runtimeStatus != "Completed" || (progress is not null && (progress.Failed > 0 || progress.Phase != "succeeded")));
}
