using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// The largest number of boxes covering any one pixel, computed exactly by a sweep over the boxes'
/// edges (coordinate-compressed 2-D difference array), so the per-pixel contribution count can be
/// stored as narrow as the grid allows.
/// </summary>
internal static class Coverage
{
    /// <summary>Above this many compressed cells the sweep is not worth it; the box count is used as the (safe) bound.</summary>
    private const long MaxSweepCells = 1 << 22; // 16 MiB of int32, transient

    /// <summary>
    /// An upper bound (exact unless the boxes' edges are too irregular to sweep cheaply, then the box
    /// count) of the number of <paramref name="boxes"/> covering one pixel. Empty boxes count for nothing.
    /// </summary>
    public static int MaxDepth(IReadOnlyList<Box> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        var xs = new List<int>(2 * boxes.Count);
        var ys = new List<int>(2 * boxes.Count);
        int n = 0;
        foreach (Box b in boxes)
        {
            if (b.IsEmpty) continue;
            n++;
            xs.Add(b.MinX); xs.Add(b.MaxX + 1);
            ys.Add(b.MinY); ys.Add(b.MaxY + 1);
        }
        if (n <= 1) return n;
        int[] ux = Distinct(xs), uy = Distinct(ys);
        long cells = (long)ux.Length * uy.Length;
        if (cells > MaxSweepCells) return n;
        int w = ux.Length;
        var diff = new int[cells];
        foreach (Box b in boxes)
        {
            if (b.IsEmpty) continue;
            int x0 = Array.BinarySearch(ux, b.MinX), x1 = Array.BinarySearch(ux, b.MaxX + 1);
            int y0 = Array.BinarySearch(uy, b.MinY), y1 = Array.BinarySearch(uy, b.MaxY + 1);
            diff[(long)y0 * w + x0]++;
            diff[(long)y0 * w + x1]--;
            diff[(long)y1 * w + x0]--;
            diff[(long)y1 * w + x1]++;
        }
        // Prefix sums along x then y turn the corner marks into the depth of each compressed cell.
        int max = 0;
        for (int y = 0; y < uy.Length; y++)
        {
            long row = (long)y * w;
            int run = 0;
            for (int x = 0; x < w; x++)
            {
                run += diff[row + x];
                int depth = run + (y > 0 ? diff[row - w + x] : 0);
                diff[row + x] = depth;
                if (depth > max) max = depth;
            }
        }
        return max;
    }

    private static int[] Distinct(List<int> values)
    {
        values.Sort();
        int k = 0;
        for (int i = 0; i < values.Count; i++)
            if (k == 0 || values[i] != values[k - 1]) values[k++] = values[i];
        return values.GetRange(0, k).ToArray();
    }
}
