using System.Buffers;

namespace ImageReducer.Engine.Imaging;

/// <summary>
/// The pool behind <see cref="Image{T}.Rent"/>: buffers of cell-sized planes come from a pool deep
/// enough for every result a run keeps waiting for its fold (a couple of grid rows of cells, hundreds
/// of buffers of one size), larger ones from <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
/// <remarks>
/// The shared pool keeps a few dozen buffers of a size per core: a run that holds hundreds of cell
/// results at once outgrew it, and every buffer it could not keep was allocated (and zeroed) again
/// for the next grid row, a third of the time of a light mapper such as <c>add</c>.
/// </remarks>
internal static class CellBuffers<T>
{
    /// <summary>Largest buffer (elements) served by the deep pool: a 256 × 256 cell.</summary>
    public const int MaxLength = 1 << 16;

    private const int PerSize = 1024;

    private static readonly ArrayPool<T> Pool = ArrayPool<T>.Create(MaxLength, PerSize);

    public static T[] Rent(int length) => length <= MaxLength ? Pool.Rent(length) : ArrayPool<T>.Shared.Rent(length);

    public static void Return(T[] buffer)
    {
        if (buffer.Length <= MaxLength) Pool.Return(buffer);
        else ArrayPool<T>.Shared.Return(buffer);
    }
}
