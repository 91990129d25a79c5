using ImageReducer.Engine.Running;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>Records progress reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class RecordingProgress : IProgress<MapReduceProgress>
{
    private readonly List<MapReduceProgress> reports = [];

    public IReadOnlyList<MapReduceProgress> Reports { get { lock (reports) return reports.ToArray(); } }

    public void Report(MapReduceProgress value) { lock (reports) reports.Add(value); }
}
