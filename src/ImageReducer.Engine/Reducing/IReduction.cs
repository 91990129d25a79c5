using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Reducing;

/// <summary>One reduction in progress: results are added in cell order, then <see cref="Complete"/> builds the output.</summary>
/// <remarks>
/// Not thread-safe: one caller adds results, in increasing cell order (that order, not the order
/// in which cells finished mapping, fixes the float32 accumulation order, so the output is
/// bit-identical whatever the parallelism). <see cref="Add"/> does not keep the pixels of an
/// <see cref="ExposureResult"/> (except for <c>none</c>), so the caller may dispose them right after.
/// Disposing an unfinished reduction returns its work buffers to the pool.
/// </remarks>
public interface IReduction : IDisposable
{
    /// <summary>Folds the result of cell <paramref name="cellIndex"/> into the output.</summary>
    /// <exception cref="ReduceException">The result does not fit the operation (see <see cref="ReduceErrors"/>).</exception>
    void Add(int cellIndex, MapResult result);

    /// <summary>Finishes the reduction. Call once, after the last <see cref="Add"/>.</summary>
    ReduceResult Complete();
}
