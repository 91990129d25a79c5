namespace ImageReducer.Engine.Reducing;

/// <summary>
/// Runs a whole-image pass as contiguous bands of rows. Bands depend only on the row count and
/// the worker count, never two workers write one row, and per-band results are combined in band
/// order, so the output does not depend on scheduling.
/// </summary>
internal static class RowBands
{
    /// <summary>Calls <paramref name="band"/>(firstRow, rowCount) for each band; returns the band results in band order.</summary>
    public static T[] For<T>(EngineOptions options, int rows, Func<int, int, T> band, CancellationToken cancellationToken = default)
    {
        int workers = Math.Max(1, Math.Min(options.Workers, rows / 16));
        var results = new T[workers];
        if (workers == 1)
        {
            // Avoid TPL overhead in this trivial case.
            results[0] = band(0, rows);
            return results;
        }
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, b =>
        {
            int first = (int)((long)rows * b / workers);
            int last = (int)((long)rows * (b + 1) / workers);
            results[b] = band(first, last - first);
        });
        return results;
    }
}
