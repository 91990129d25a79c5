using System.Collections.Concurrent;
using System.Reflection;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// Builds the reducer of a configuration: the class its operation names (<see cref="ReducedByAttribute"/> on the
/// <see cref="ReduceOperation"/> member), so an operation is added with its reducer's file and its word in the enum.
/// </summary>
public static class Reducers
{
    private static readonly ConcurrentDictionary<ReduceOperation, ConstructorInfo> Constructors = new();

    /// <summary>The reducer for <paramref name="config"/>.<c>ReduceOperation</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The operation is not a defined <see cref="ReduceOperation"/>.</exception>
    public static IReducer Create(ReducerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ConstructorInfo constructor = Constructors.GetOrAdd(config.ReduceOperation, ConstructorOf);
        return (IReducer)constructor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, [config], culture: null);
    }

    /// <summary>The reducer of <paramref name="operation"/> with the default bad planes: to ask what the operation produces.</summary>
    public static IReducer For(ReduceOperation operation) => Create(new ReducerConfig { ReduceOperation = operation });

    private static ConstructorInfo ConstructorOf(ReduceOperation operation)
    {
        string name = operation.ToString();
        FieldInfo field = typeof(ReduceOperation).GetField(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown reduceOperation.");
        Type type = field.GetCustomAttribute<ReducedByAttribute>()?.ReducerType
            ?? throw new InvalidOperationException($"ReduceOperation.{name} names no reducer ([ReducedBy] is missing).");
        if (!typeof(IReducer).IsAssignableFrom(type))
            throw new InvalidOperationException($"ReduceOperation.{name}: {type.Name} is not an IReducer.");
        return type.GetConstructor([typeof(ReducerConfig)])
            ?? throw new InvalidOperationException($"ReduceOperation.{name}: {type.Name} has no public constructor taking a ReducerConfig.");
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
