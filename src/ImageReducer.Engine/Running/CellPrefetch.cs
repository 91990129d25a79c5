using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Running;

/// <summary>
/// Asks the cache to fetch a cell's pixels before the mapper reads them. A cell is a column of short
/// row pieces, each in another page of the plane: the hardware prefetchers do not follow that pattern,
/// so a mapper reading a cell from memory waits on one miss after another.
/// </summary>
internal static class CellPrefetch
{
    /// <summary>Prefetches every cache line of <paramref name="box"/>'s rows of <paramref name="plane"/> into the second-level cache.</summary>
    public static unsafe void Rows<T>(Image<T> plane, Box box)
    {
        if (!Sse.IsSupported || box.IsEmpty) return;
        ref T data = ref MemoryMarshal.GetArrayDataReference(plane.UnsafeBuffer);
        for (int y = box.MinY; y <= box.MaxY; y++)
        {
            // A prefetch is a hint: it never faults, and an address made stale by the collector moving the buffer only wastes it.
            byte* row = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref data, plane.IndexOf(box.MinX, y)));
            byte* end = row + (nint)box.Width * Unsafe.SizeOf<T>();
            for (byte* p = row; p < end; p += 64) Sse.Prefetch1(p);
            Sse.Prefetch1(end - 1);
        }
    }
}
