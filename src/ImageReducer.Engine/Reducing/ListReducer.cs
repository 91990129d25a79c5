using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Reducing;

/// <summary><c>none</c>: the mapper results, as they are, in cell order.</summary>
/// <remarks>The results (and any pooled pixels they hold) are handed to the caller, who disposes them.</remarks>
public sealed class ListReducer : IReducer
{

    /// <summary>The reducer of <c>none</c> (the configuration's bad planes do not apply).</summary>
    public ListReducer(ReducerConfig config) => ArgumentNullException.ThrowIfNull(config);

    /// <inheritdoc/>
    public ReduceOperation Operation => ReduceOperation.None;

    /// <inheritdoc/>
    public OutputKind Output => OutputKind.Results;

    /// <inheritdoc/>
    public PsfRule PsfRule => PsfRule.None;

    /// <inheritdoc/>
    public string OutputSuffix => ".results.json";

    /// <inheritdoc/>
    public bool ReportsOverlap => false;

    /// <inheritdoc/>
    public bool KeepsResults => true;

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, EngineOptions options) => new Reduction();

    private sealed class Reduction : IReduction
    {
        private readonly List<MapResult> results = [];

        public void Add(int cellIndex, MapResult result)
        {
            if (cellIndex != results.Count) throw ReduceErrors.OutOfOrder(cellIndex, results.Count);
            results.Add(result);
        }

        public ReduceResult Complete() => new() { Results = results.ToArray() };

        public void Dispose() { }
    }
}

/// <summary><c>none</c>, declared with its reducer.</summary>
public sealed partial class ReduceOperation
{
    /// <summary><c>none</c>: return the list of mapper results (<see cref="ListReducer"/>).</summary>
    public static ReduceOperation None { get; } = new("none", config => new ListReducer(config));
}
