using ImageReducer.Workflow.Nights;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// Counts, conservatively, the history events an orchestration execution has committed to, so a loop can continue as new
/// before its history passes <see cref="NightLimits.MaxHistoryEvents"/>. Replay-safe: it counts only the orchestration's
/// own decisions.
/// </summary>
/// <remarks>
/// An execution's history: OrchestratorStarted + ExecutionStarted, then for each activity or sub-orchestration a
/// scheduled/created event and a completed/failed event, each episode that wakes the orchestration an
/// OrchestratorStarted + OrchestratorCompleted pair (at worst one episode per completion), and ExecutionCompleted at the
/// end. So a task costs at most <see cref="PerTask"/> events; <see cref="Reserve"/> is kept free for the execution's end.
/// </remarks>
public sealed class HistoryBudget
{
    /// <summary>Most events one scheduled activity or sub-orchestration adds (scheduled, completed, one episode).</summary>
    public const int PerTask = 4;

    /// <summary>Events kept free for the start and end of the execution and slack.</summary>
    public const int Reserve = 100;

    private readonly int limit;

    /// <summary>A budget of <paramref name="limit"/> events (default <see cref="NightLimits.MaxHistoryEvents"/>).</summary>
    public HistoryBudget(int limit = NightLimits.MaxHistoryEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, Reserve);
        this.limit = limit - Reserve;
    }

    /// <summary>Events committed to so far (before the reserve).</summary>
    public int Spent { get; private set; }

    /// <summary>True when <paramref name="events"/> more still fit.</summary>
    public bool CanSpend(int events) => Spent + events <= limit;

    /// <summary>Commits <paramref name="events"/> if they fit; false (committing nothing) otherwise.</summary>
    public bool TrySpend(int events)
    {
        if (!CanSpend(events)) return false;
        Spent += events;
        return true;
    }

    /// <summary>Gives back <paramref name="events"/> committed to in advance and not needed after all.</summary>
    public void Refund(int events) => Spent = Math.Max(0, Spent - events);

    /// <summary>Commits <paramref name="events"/> that were paid for in advance or must happen anyway.</summary>
    public void Spend(int events) => Spent += events;
}
