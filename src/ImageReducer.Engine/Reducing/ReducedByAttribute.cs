namespace ImageReducer.Engine.Reducing;

/// <summary>
/// Names the class that implements a <see cref="Config.ReduceOperation"/>: a public <see cref="IReducer"/> with a public
/// constructor taking the <see cref="Config.ReducerConfig"/> (<see cref="Reducers.Create"/> builds it).
/// </summary>
/// <param name="reducerType">The reducer class.</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false)]
public sealed class ReducedByAttribute(Type reducerType) : Attribute
{
    /// <summary>The reducer class.</summary>
    public Type ReducerType { get; } = reducerType ?? throw new ArgumentNullException(nameof(reducerType));
}
