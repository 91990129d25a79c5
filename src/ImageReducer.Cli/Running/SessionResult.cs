using ImageReducer.Engine.Running;

namespace ImageReducer.Cli.Running;

/// <summary>The engine's result plus the measured phase durations.</summary>
internal sealed record SessionResult(MapReduceResult Result, TimeSpan MapTime, TimeSpan ReduceTime);
