using System.Diagnostics;
using ImageReducer.Cli.Progress;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Cli.Running;

/// <summary>
/// One in-process map-reduce: builds the mapper from the registry, runs the engine's
/// <see cref="MapReduceRunner"/> over a grid, shows its progress and measures the map and reduce
/// phases (the runner streams them, so "map" ends when the last cell is folded).
/// </summary>
internal static class MapReduceSession
{
    /// <summary>The registry of built-in mappers (one per process: discovery uses reflection).</summary>
    public static MapperRegistry Registry { get; } = new();

    /// <summary>Creates the configured mapper; unknown names and bad options are configuration errors naming <c>mapper.*</c>.</summary>
    public static IMapper CreateMapper(MapReduceConfig config) => Registry.Create(config.Mapper);

    /// <summary>Runs <paramref name="mapper"/> over <paramref name="grid"/> and reduces as configured.</summary>
    /// <remarks>With <paramref name="readAgain"/> the input is consumed: the output may be built in its planes
    /// (<see cref="MapReduceRunner.RunInPlace"/>), and <paramref name="readAgain"/> gives the input again if the run must restart.</remarks>
    public static SessionResult Run(Exposure exposure, Grid grid, IMapper mapper, MapReduceConfig config,
        EngineOptions options, ProgressDisplay display, CancellationToken cancellationToken, AuxiliaryData? auxiliary = null,
        Func<Exposure>? readAgain = null)
    {
        var runner = new MapReduceRunner(mapper, config.Reducer, options);
        var clock = Stopwatch.StartNew();
        IProgressPhase map = display.Begin("map", $"{options.Workers} threads", grid.Count);
        IProgressPhase? reduce = null;
        TimeSpan mapEnd = TimeSpan.Zero;
        int shown = 0;
        var progress = new SynchronousProgress(p =>
        {
            if (p.Phase == MapReducePhase.Mapping)
            {
                // Reports carry a running count; show the difference so the bar never overshoots.
                if (p.CellsDone > shown) map.Advance(p.CellsDone - shown);
                shown = Math.Max(shown, p.CellsDone);
            }
            else if (p.Phase == MapReducePhase.Finishing && reduce is null)
            {
                mapEnd = clock.Elapsed;
                map.Complete();
                reduce = display.Begin("reduce", config.Reducer.ReduceOperation.Name);
            }
        });
        MapReduceResult result;
        try
        {
            result = readAgain is not null
                ? runner.RunInPlace(exposure, grid, config.ReturnSubImages, readAgain, progress, cancellationToken, auxiliary)
                : runner.Run(exposure, grid, config.ReturnSubImages, progress, cancellationToken, auxiliary);
            if (reduce is null) map.Complete();
            reduce?.Complete();
        }
        finally
        {
            if (reduce is null) mapEnd = clock.Elapsed;
            map.Dispose();
            reduce?.Dispose();
        }
        TimeSpan total = clock.Elapsed;
        return new SessionResult(result, mapEnd, total - mapEnd);
    }

    /// <summary>Calls back on the reporting thread (<see cref="Progress{T}"/> would post to a context and reorder).</summary>
    /// <remarks>Not generic: a generic class of the CLI instantiated over an engine struct is outside every ReadyToRun image.</remarks>
    private sealed class SynchronousProgress(Action<MapReduceProgress> report) : IProgress<MapReduceProgress>
    {
        public void Report(MapReduceProgress value) => report(value);
    }
}
