using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Gridding;

/// <summary>
/// Turns cell centres into (cell, expanded cell) pairs the way the reference does: template boxes at
/// the exposure origin shifted by <c>floor(centre) − size // 2</c>, clipped to the exposure,
/// optionally made even-sized, kept when both have an area &gt; 1.
/// </summary>
/// <remarks>
/// Works per axis in 64-bit integers: every step of the reference (shift, clip, include + clip)
/// acts on x and y independently, and a box is empty as soon as one axis is, so this is exact while
/// far-away centroids cannot overflow.
/// </remarks>
internal sealed class CellAssembler
{
    // Centres beyond this are outside any int box whatever the cell size: clamping them keeps long arithmetic safe.
    private const double FarAway = 1L << 53;

    private readonly Box bounds;
    private readonly int cellX, cellY, borderX, borderY;
    private readonly bool forceEven;
    private readonly List<Box> cells;
    private readonly List<Box> expandedCells;
    private int index;

    public CellAssembler(Box bounds, int cellX, int cellY, int borderX, int borderY, bool forceEven, int capacity)
    {
        this.bounds = bounds;
        (this.cellX, this.cellY, this.borderX, this.borderY, this.forceEven) = (cellX, cellY, borderX, borderY, forceEven);
        cells = new List<Box>(capacity);
        expandedCells = new List<Box>(capacity);
    }

    public IReadOnlyList<Box> Cells => cells;
    public IReadOnlyList<Box> ExpandedCells => expandedCells;

    /// <summary>Adds the pair for centre (<paramref name="cx"/>, <paramref name="cy"/>), given relative to the exposure origin.</summary>
    public void Add(double cx, double cy)
    {
        int candidate = index++;
        long offX = FloorClamped(cx) - cellX / 2;
        long offY = FloorClamped(cy) - cellY / 2;
        long x0 = bounds.MinX + offX, y0 = bounds.MinY + offY;
        Box cell = Place(x0, y0, x0 + cellX - 1, y0 + cellY - 1, candidate, "cell");
        Box expanded = Place(x0 - borderX, y0 - borderY, x0 + cellX - 1 + borderX, y0 + cellY - 1 + borderY, candidate, "expanded cell");
        if (cell.Area > 1 && expanded.Area > 1)
        {
            cells.Add(cell);
            expandedCells.Add(expanded);
        }
    }

    private static long FloorClamped(double c) => (long)Math.Clamp(Math.Floor(c), -FarAway, FarAway);

    private Box Place(long minX, long minY, long maxX, long maxY, int candidate, string what)
    {
        long bMaxX = bounds.IsEmpty ? -1 : bounds.MaxX, bMaxY = bounds.IsEmpty ? -1 : bounds.MaxY;
        long loX = Math.Max(minX, bounds.MinX), hiX = Math.Min(maxX, bMaxX);
        long loY = Math.Max(minY, bounds.MinY), hiY = Math.Min(maxY, bMaxY);
        if (hiX < loX || hiY < loY) return Box.Empty;
        if (forceEven)
        {
            bool evenX = MakeEven(ref loX, ref hiX, bounds.MinX, bMaxX);
            bool evenY = MakeEven(ref loY, ref hiY, bounds.MinY, bMaxY);
            if (!evenX || !evenY)
                throw new OddBoxException(Box.FromMinMax((int)loX, (int)loY, (int)hiX, (int)hiY), bounds, FormattableString.Invariant(
                    $"forceEvenSized: the {what} of candidate {candidate} spans [{loX},{hiX}]×[{loY},{hiY}] and cannot be made even-sized inside exposure {bounds} (an odd {(!evenX ? "width" : "height")} covering the whole exposure); use an exposure with even sizes or turn forceEvenSized off"));
        }
        return Box.FromMinMax((int)loX, (int)loY, (int)hiX, (int)hiY);
    }

    /// <summary>The reference's _makeBoxEvenSized on one axis: grow right (clipped), else left (clipped).</summary>
    private static bool MakeEven(ref long lo, ref long hi, long min, long max)
    {
        if ((hi - lo + 1) % 2 == 0) return true;
        if (hi < max) { hi++; return true; }
        if (lo > min) { lo--; return true; }
        return false;
    }
}
