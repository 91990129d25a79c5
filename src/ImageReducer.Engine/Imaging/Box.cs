using System.Text.Json.Serialization;

namespace ImageReducer.Engine.Imaging;

/// <summary>
/// Integer bounding box with inclusive corners, mirroring the reference's <c>Box2I</c>:
/// <c>Width = MaxX - MinX + 1</c>. A box with a zero or negative size is empty and reports
/// min (0,0), max (-1,-1), area 0; shifting, growing or clipping an empty box leaves it empty.
/// </summary>
/// <remarks>Immutable: every operation returns a new box.</remarks>
[JsonConverter(typeof(BoxJsonConverter))]
public readonly struct Box : IEquatable<Box>
{
    /// <summary>Creates a box from its lower-left corner and size; a non-positive size gives <see cref="Empty"/>.</summary>
    public Box(int minX, int minY, int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            (MinX, MinY, Width, Height) = (0, 0, 0, 0);
            return;
        }
        (MinX, MinY, Width, Height) = (minX, minY, width, height);
    }

    /// <summary>The empty box.</summary>
    public static Box Empty => default;

    /// <summary>Creates a box from inclusive corners; <paramref name="maxX"/> &lt; <paramref name="minX"/> (or likewise in y) gives <see cref="Empty"/>.</summary>
    public static Box FromMinMax(int minX, int minY, int maxX, int maxY)
    {
        long w = (long)maxX - minX + 1, h = (long)maxY - minY + 1;
        if (w <= 0 || h <= 0) return Empty;
        return new Box(minX, minY, checked((int)w), checked((int)h));
    }

    public int MinX { get; }
    public int MinY { get; }
    public int Width { get; }
    public int Height { get; }
    public int MaxX => MinX + Width - 1;
    public int MaxY => MinY + Height - 1;
    /// <summary>Number of pixels (as a long: a box may hold more than 2^31 pixels).</summary>
    public long Area => (long)Width * Height;
    public bool IsEmpty => Width == 0 || Height == 0;

    /// <summary>Intersection; disjoint boxes give <see cref="Empty"/>.</summary>
    public Box Clip(Box other)
    {
        if (IsEmpty || other.IsEmpty) return Empty;
        return FromMinMax(Math.Max(MinX, other.MinX), Math.Max(MinY, other.MinY),
                          Math.Min(MaxX, other.MaxX), Math.Min(MaxY, other.MaxY));
    }

    /// <summary>Extends both sides by <paramref name="dx"/> in x and <paramref name="dy"/> in y (negative shrinks).</summary>
    public Box Grow(int dx, int dy) => IsEmpty ? Empty : FromMinMax(MinX - dx, MinY - dy, MaxX + dx, MaxY + dy);

    /// <summary>Extends by <paramref name="d"/> on every side.</summary>
    public Box Grow(int d) => Grow(d, d);

    /// <summary>Moves the box.</summary>
    public Box Shift(int dx, int dy) => IsEmpty ? Empty : new Box(MinX + dx, MinY + dy, Width, Height);

    /// <summary>Smallest box containing this one and the pixel (x, y); an empty box becomes that pixel.</summary>
    public Box Include(int x, int y) => IsEmpty
        ? new Box(x, y, 1, 1)
        : FromMinMax(Math.Min(MinX, x), Math.Min(MinY, y), Math.Max(MaxX, x), Math.Max(MaxY, y));

    /// <summary>Smallest box containing both boxes.</summary>
    public Box Include(Box other)
    {
        if (other.IsEmpty) return this;
        if (IsEmpty) return other;
        return FromMinMax(Math.Min(MinX, other.MinX), Math.Min(MinY, other.MinY),
                          Math.Max(MaxX, other.MaxX), Math.Max(MaxY, other.MaxY));
    }

    /// <summary>Whether the integer pixel (x, y) lies inside (never for an empty box).</summary>
    public bool Contains(int x, int y) => !IsEmpty && x >= MinX && x <= MaxX && y >= MinY && y <= MaxY;

    /// <summary>Whether <paramref name="other"/> lies entirely inside; an empty box is contained in any box.</summary>
    public bool Contains(Box other) => other.IsEmpty ||
        (!IsEmpty && other.MinX >= MinX && other.MaxX <= MaxX && other.MinY >= MinY && other.MaxY <= MaxY);

    /// <summary>
    /// Half-open containment of a real point, as the reference's CoaddPsf uses:
    /// <c>min - 0.5 &lt;= p &lt; max + 0.5</c>. False for an empty box.
    /// </summary>
    public bool ContainsPoint(double x, double y) => !IsEmpty &&
        x >= MinX - 0.5 && x < MaxX + 0.5 && y >= MinY - 0.5 && y < MaxY + 0.5;

    /// <summary>Centre of the box in pixel coordinates.</summary>
    public Point2D Center => new((MinX + MaxX) / 2.0, (MinY + MaxY) / 2.0);

    public bool Equals(Box other) => MinX == other.MinX && MinY == other.MinY && Width == other.Width && Height == other.Height;
    public override bool Equals(object? obj) => obj is Box b && Equals(b);
    public override int GetHashCode() => HashCode.Combine(MinX, MinY, Width, Height);
    public static bool operator ==(Box a, Box b) => a.Equals(b);
    public static bool operator !=(Box a, Box b) => !a.Equals(b);

    /// <summary>Inclusive corners as <c>[minX, minY, maxX, maxY]</c>, the JSON form used everywhere.</summary>
    public int[] ToArray() => [MinX, MinY, MaxX, MaxY];

    public override string ToString() => IsEmpty ? "Box(empty)" : $"Box([{MinX},{MinY}]..[{MaxX},{MaxY}], {Width}x{Height})";
}

/// <summary>A real-valued position in parent pixel coordinates.</summary>
public readonly record struct Point2D(double X, double Y)
{
    public static Point2D Zero => default;
    public override string ToString() => FormattableString.Invariant($"({X}, {Y})");
}
