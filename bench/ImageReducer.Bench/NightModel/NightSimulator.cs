namespace ImageReducer.Bench.NightModel;

/// <summary>What one simulated night gives.</summary>
/// <param name="Instances">Instances that did work (after the app limit and the regional quota).</param>
/// <param name="WallSeconds">From the first dispatch to the end of the last exposure (its last Reduce and the episode that takes its summary).</param>
/// <param name="BusyInstanceSeconds">Instance-seconds with at least one activity running (activity seconds ÷ activities per instance).</param>
/// <param name="AllocatedInstanceSeconds">Instances × wall: the bill if no instance scaled in before the end.</param>
/// <param name="Executions">Activities plus orchestration episodes.</param>
/// <param name="ComputeDollars">Busy instance-seconds × memory × price per GB-s, plus executions.</param>
/// <param name="AllocatedDollars">The same with allocated instance-seconds (upper bound).</param>
/// <param name="DispatchBound">True when the dispatcher, not the instances, was the limit (it was busy ≥ 95 % of the wall).</param>
public sealed record NightPrediction(int Instances, double WallSeconds, double BusyInstanceSeconds, double AllocatedInstanceSeconds, long Executions,
    double ComputeDollars, double AllocatedDollars, bool DispatchBound);

/// <summary>
/// A discrete-event simulation of a night on a consumption plan: each exposure is Plan → its MapTiles (in parallel) →
/// Reduce; every activity passes one dispatcher (the task hub, <see cref="NightModelInputs.DispatchPerSecond"/> work items
/// per second) and runs in a slot of an instance (<see cref="NightModelInputs.ActivitiesPerInstance"/> per instance, after
/// <see cref="NightModelInputs.InstanceStartSeconds"/>); each completion costs the orchestration its episodes on the same
/// dispatcher before the next step is ready. A Plan or Reduce of 0 seconds is no activity at all (the design where one
/// activity reduces the whole exposure: <c>tilesPerExposure</c> 1, <c>planSeconds</c> and <c>reduceSeconds</c> 0).
/// Deterministic: the same inputs give the same prediction.
/// </summary>
public static class NightSimulator
{
    // Event kinds: an activity's end (Plan, Tile, Reduce), or Ready + kind when that step is scheduled.
    private const int Plan = 0, Tile = 1, Reduce = 2, Ready = 3;

    /// <summary>Instances that can run for an app asking for <paramref name="requested"/>: the app limit and the regional vCPU quota.</summary>
    public static int UsableInstances(NightModelInputs inputs, int requested, bool respectQuota = true)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int n = Math.Min(requested, inputs.MaxInstances);
        return respectQuota ? Math.Min(n, inputs.RegionalCoreQuota / inputs.InstanceVcpu) : n;
    }

    /// <summary>Simulates the night on <paramref name="instances"/> instances (already within the limits).</summary>
    public static NightPrediction Run(NightModelInputs inputs, int instances, int maxConcurrentExposures = 5000)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(instances);
        int tiles = inputs.TilesPerExposure, slots = instances * inputs.ActivitiesPerInstance;
        double perToken = 1.0 / inputs.DispatchPerSecond;
        bool plans = inputs.PlanSeconds > 0, reduces = inputs.ReduceSeconds > 0;
        // The orchestration's episodes after its first, spread over the exposure's completions (plan, tiles, reduce).
        double episodeTokens = inputs.OrchestrationEpisodesPerExposure / (tiles + (plans ? 1 : 0) + (reduces ? 1 : 0));
        var events = new PriorityQueue<(int Kind, int Exposure), (double Time, long Order)>();
        var ready = new Queue<(int Kind, int Exposure)>();
        var tilesLeft = new int[inputs.Exposures];
        double dispatcherFree = 0, dispatcherBusy = 0, now = 0, activitySeconds = 0, episodes = 0, end = 0;
        long order = 0, executions = 0;
        int free = slots, started = 0, finished = 0;

        void Token(double tokens)
        {
            double at = Math.Max(now, dispatcherFree);
            dispatcherFree = at + tokens * perToken;
            dispatcherBusy += tokens * perToken;
        }

        void StartExposure()
        {
            int e = started++;
            tilesLeft[e] = tiles;
            Token(inputs.StartEpisodesPerExposure); // the exposure's first episode schedules its Plan (or its tiles); none when its batch calls it
            episodes += inputs.StartEpisodesPerExposure;
            if (plans)
                events.Enqueue((Ready + Plan, e), (dispatcherFree, order++));
            else
                for (int t = 0; t < tiles; t++) events.Enqueue((Ready + Tile, e), (dispatcherFree, order++));
        }

        double Duration(int kind) => kind switch { Plan => inputs.PlanSeconds, Tile => inputs.MapTileSeconds, _ => inputs.ReduceSeconds };

        void Assign()
        {
            while (free > 0 && ready.Count > 0)
            {
                var (kind, e) = ready.Dequeue();
                free--;
                double at = Math.Max(Math.Max(now, dispatcherFree), inputs.InstanceStartSeconds);
                dispatcherFree = at + perToken;
                dispatcherBusy += perToken;
                executions++;
                double d = Duration(kind);
                activitySeconds += d;
                events.Enqueue((kind, e), (at + d, order++));
            }
        }

        for (int i = 0; i < Math.Min(inputs.Exposures, maxConcurrentExposures); i++) StartExposure();
        while (events.TryDequeue(out var item, out var when))
        {
            now = when.Time;
            var (kind, e) = item;
            if (kind >= Ready)
            {
                ready.Enqueue((kind - Ready, e)); // the step is scheduled: it waits for a slot and the dispatcher
            }
            else
            {
                // An activity ended: its slot frees, and the orchestration wakes (episodes on the dispatcher) to schedule what follows.
                free++;
                Token(episodeTokens);
                episodes += episodeTokens;
                double next = dispatcherFree;
                if (kind == Plan)
                {
                    for (int t = 0; t < tiles; t++) events.Enqueue((Ready + Tile, e), (next, order++));
                }
                else if (kind == Tile && (--tilesLeft[e] > 0 || reduces))
                {
                    if (tilesLeft[e] == 0) events.Enqueue((Ready + Reduce, e), (next, order++));
                }
                else
                {
                    finished++;
                    end = Math.Max(end, next); // the exposure ends with the episode that takes its summary
                    if (started < inputs.Exposures) StartExposure();
                }
            }
            Assign();
        }
        if (finished != inputs.Exposures) throw new InvalidOperationException($"simulation ended with {finished} of {inputs.Exposures} exposures");

        double wall = end;
        double busy = activitySeconds / inputs.ActivitiesPerInstance;
        double gbPrice = inputs.InstanceMemoryGB * inputs.PricePerGBSecond;
        executions += (long)Math.Round(episodes);
        double executionDollars = executions / 1e6 * inputs.PricePerMillionExecutions;
        return new NightPrediction(instances, wall, busy, instances * wall, executions, busy * gbPrice + executionDollars,
            instances * wall * gbPrice + executionDollars, dispatcherBusy >= 0.95 * wall);
    }
}
