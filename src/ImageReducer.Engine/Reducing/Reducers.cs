using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Reducing;

/// <summary>Chooses the reducer of a configuration — the one place that maps operations to classes.</summary>
public static class Reducers
{
    /// <summary>The reducer for <paramref name="config"/>.<c>ReduceOperation</c>.</summary>
    public static IReducer Create(ReducerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.ReduceOperation switch
        {
            ReduceOperation.None => new ListReducer(),
            ReduceOperation.Copy => new CopyReducer(config),
            ReduceOperation.Sum => new SumReducer(config),
            ReduceOperation.Average => new AverageReducer(config),
            ReduceOperation.CoaddPsf => new CoaddPsfReducer(),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.ReduceOperation, "Unknown reduceOperation."),
        };
    }

    /// <summary>
    /// Reduces a complete list of results (the reference's <c>ImageReducer.run</c>). The caller
    /// keeps ownership of the results.
    /// </summary>
    public static ReduceResult Reduce(this IReducer reducer, IReadOnlyList<MapResult> results, Exposure input, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        ArgumentNullException.ThrowIfNull(results);
        var boxes = new Box[results.Count];
        for (int i = 0; i < boxes.Length; i++) boxes[i] = results[i] is ExposureResult { SubExposure: { } e } ? e.Box : Box.Empty;
        using IReduction reduction = reducer.Begin(input, options ?? EngineOptions.Default, boxes);
        for (int i = 0; i < results.Count; i++) reduction.Add(i, results[i]);
        return reduction.Complete();
    }
}
