namespace ImageReducer.Engine.Imaging;

/// <summary>
/// Pinned buffers for whole output planes (see <see cref="Image{T}.RentAligned"/>): allocated on the
/// pinned object heap, so an alignment found once holds for the buffer's life, and kept after use for
/// the next plane of the same length.
/// </summary>
/// <remarks>At most <see cref="Kept"/> buffers per pixel type are kept (the most recently returned),
/// enough for the planes of a couple of outputs; the rest are left to the garbage collector.</remarks>
internal static class PinnedPlanes<T>
{
    private const int Kept = 6;
    private static readonly List<T[]> Free = [];

    /// <summary>A buffer of exactly <paramref name="length"/> elements, not initialised.</summary>
    public static T[] Rent(int length)
    {
        lock (Free)
        {
            for (int i = Free.Count - 1; i >= 0; i--)
            {
                if (Free[i].Length != length) continue;
                T[] found = Free[i];
                Free.RemoveAt(i);
                return found;
            }
        }
        T[] buffer = GC.AllocateUninitializedArray<T>(length, pinned: true);
        HugePages.Advise(buffer);
        return buffer;
    }

    /// <summary>Keeps <paramref name="buffer"/> for a later <see cref="Rent"/>.</summary>
    public static void Return(T[] buffer)
    {
        lock (Free)
        {
            Free.Add(buffer);
            if (Free.Count > Kept) Free.RemoveAt(0);
        }
    }
}
