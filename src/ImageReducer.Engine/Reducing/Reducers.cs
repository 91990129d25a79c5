using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// Builds the reducer of a configuration: the one its operation declares (<see cref="ReduceOperation"/>, declared in its
/// reducer's file), so an operation is added with its reducer's file alone.
/// </summary>
public static class Reducers
{
    /// <summary>The reducer for <paramref name="config"/>.<c>ReduceOperation</c>.</summary>
    /// <exception cref="ArgumentException">The configuration names no operation.</exception>
    public static IReducer Create(ReducerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ReduceOperation operation = config.ReduceOperation
            ?? throw new ArgumentException($"reducer.reduceOperation is missing; allowed (exact case): {ReduceOperation.AllowedNames}", nameof(config));
        return operation.CreateReducer(config);
    }

    /// <summary>The reducer of <paramref name="operation"/> with the default bad planes: to ask what the operation produces.</summary>
    public static IReducer For(ReduceOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Create(new ReducerConfig { ReduceOperation = operation });
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
