using System.Buffers;
using System.Numerics;

namespace ImageReducer.Engine.Imaging;

/// <summary>
/// The pool behind <see cref="Image{T}.Rent"/>: buffers of cell-sized planes come from a pool deep
/// enough for every result a run keeps waiting for its fold (a couple of grid rows of cells, hundreds
/// of buffers of one size), larger ones from <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
/// <remarks>
/// <para>The shared pool keeps a few dozen buffers of a size per core: a run that holds hundreds of cell
/// results at once outgrew it, and every buffer it could not keep was allocated (and zeroed) again
/// for the next grid row, a third of the time of a light mapper such as <c>add</c>.</para>
/// <para>The pool is this class's own, not <see cref="ArrayPool{T}.Create(int, int)"/>: the framework's
/// configurable pool over <c>float</c> or <c>int</c> is not in any ReadyToRun image (the framework
/// precompiles only the instantiations it uses itself), so a fresh <c>imred run</c> JIT-compiled its
/// rent and return paths in the map phase; this class, instantiated in the engine, is precompiled.
/// Policy: power-of-two sizes from 16 elements, at most <see cref="PerThread"/> kept per size by each thread and
/// <see cref="PerSize"/> shared, buffers not cleared on return.</para>
/// </remarks>
internal static class CellBuffers<T>
{
    /// <summary>Largest buffer (elements) served by the deep pool: a 256 × 256 cell.</summary>
    public const int MaxLength = 1 << 16;

    private const int MinLength = 16;
    private const int PerSize = 1024;

    /// <summary>
    /// Buffers of a size each thread keeps for itself before it hands them to the shared buckets: a worker of the fused run
    /// holds about two grid rows of results (a 4096² exposure with 41-pixel cells: 200), and renews most of them per row.
    /// </summary>
    public const int PerThread = 128;

    // Bucket k holds buffers of MinLength << k elements.
    private static readonly Bucket[] Buckets = CreateBuckets();

    // This thread's own stacks, in front of the shared buckets: a worker that maps and folds its own cells rents back
    // the buffers it returned, still in its core's cache, and takes no lock that another core takes as well (per cell,
    // that lock's line went from core to core: see docs/benchmarks.md, thread scaling).
    [ThreadStatic] private static Local? local;

    /// <summary>A buffer of at least <paramref name="length"/> elements (not cleared): this thread's last returned one of the size if any.</summary>
    public static T[] Rent(int length)
    {
        if (length > MaxLength) return ArrayPool<T>.Shared.Rent(length);
        int k = BucketOf(length);
        return local?.Take(k) ?? Buckets[k].Take() ?? new T[MinLength << k];
    }

    /// <summary>Keeps <paramref name="buffer"/> (one this pool or the shared pool rented) for a later <see cref="Rent"/>.</summary>
    public static void Return(T[] buffer)
    {
        if (buffer.Length > MaxLength)
        {
            ArrayPool<T>.Shared.Return(buffer);
            return;
        }
        int k = BucketOf(buffer.Length);
        if (MinLength << k != buffer.Length) return; // a length no bucket rents is left to the collector
        if (!(local ??= new Local()).Keep(k, buffer)) Buckets[k].Keep(buffer);
    }

    /// <summary>The bucket of the smallest power of two (at least <see cref="MinLength"/>) not below <paramref name="length"/>.</summary>
    private static int BucketOf(int length) => BitOperations.Log2((uint)(Math.Max(length, MinLength) - 1)) + 1 - 4;

    private static Bucket[] CreateBuckets()
    {
        var buckets = new Bucket[BucketOf(MaxLength) + 1];
        for (int k = 0; k < buckets.Length; k++) buckets[k] = new Bucket();
        return buckets;
    }

    /// <summary>One thread's kept buffers: a <see cref="Stack"/> per size, at most <see cref="PerThread"/> deep, no lock.</summary>
    private sealed class Local
    {
        private readonly Stack?[] stacks = new Stack?[Buckets.Length];

        public T[]? Take(int k) => stacks[k]?.Take();

        public bool Keep(int k, T[] buffer) => (stacks[k] ??= new Stack(PerThread)).Keep(buffer);
    }

    /// <summary>The shared kept buffers of one size: a <see cref="Stack"/> under a lock (held for a few instructions).</summary>
    private sealed class Bucket
    {
        private readonly Stack stack = new(PerSize);

        public T[]? Take()
        {
            lock (stack) return stack.Take();
        }

        public void Keep(T[] buffer)
        {
            lock (stack) stack.Keep(buffer);
        }
    }

    /// <summary>Buffers of one size, last kept first taken, at most <paramref name="capacity"/>; not thread-safe.</summary>
    private sealed class Stack(int capacity)
    {
        private readonly T[]?[] items = new T[capacity][];
        private int count;

        public T[]? Take()
        {
            if (count == 0) return null;
            T[]? buffer = items[--count];
            items[count] = null;
            return buffer;
        }

        /// <summary>False when full (the buffer is not kept).</summary>
        public bool Keep(T[] buffer)
        {
            if (count == items.Length) return false;
            items[count++] = buffer;
            return true;
        }
    }
}
