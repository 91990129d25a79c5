using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ImageReducer.Engine.Imaging;

/// <summary>
/// A 2-D plane of pixels with an origin (<see cref="Box"/>.MinX, MinY = the reference's <c>xy0</c>).
/// Supported pixel types: <see cref="float"/>, <see cref="double"/>, <see cref="int"/>,
/// <see cref="short"/>, <see cref="byte"/> (and any other unmanaged type).
/// </summary>
/// <remarks>
/// An image is a window (start + stride + box) onto one buffer. <see cref="Sub"/> returns a view
/// that shares the buffer: writes through a view are seen by the parent. Only the image that
/// allocated the buffer owns it; disposing it returns a pooled buffer to the pool, after which
/// neither it nor its views may be used. Disposing a view does nothing. Coordinates passed to
/// <see cref="Row"/> and the indexer are parent (absolute) pixel coordinates.
/// Not thread-safe for writes to the same row; distinct rows may be written concurrently.
/// <para>
/// <typeparamref name="T"/> must be an unmanaged type (checked when a buffer is allocated or wrapped). It is not a
/// <c>where T : unmanaged</c> constraint because crossgen2 does not precompile a constrained generic instantiated over
/// a framework type (<c>Image&lt;float&gt;</c>): with the constraint, a fresh ReadyToRun <c>imred</c> JIT-compiled every
/// method of the planes it touched (docs/benchmarks.md, "Start-up and the serial tail").
/// </para>
/// </remarks>
public sealed class Image<T> : IDisposable
{
    private T[]? buffer;
    private readonly int start;
    private readonly int stride;
    private readonly bool pooled;
    private readonly bool pinnedPool;
    private readonly bool owner;

    /// <summary>Allocates a zero-filled image covering <paramref name="box"/>.</summary>
    public Image(Box box) : this(box, AllocationMode.Zeroed) { }

    /// <summary>Allocates a zero-filled image of the given size with origin (0,0).</summary>
    public Image(int width, int height) : this(new Box(0, 0, width, height)) { }

    private Image(Box box, AllocationMode mode)
    {
        RequireUnmanaged();
        if (box.IsEmpty) throw new ArgumentException("An image needs a non-empty box.", nameof(box));
        long n = box.Area;
        if (n > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(box), $"{box} has {n} pixels; at most {Array.MaxLength} fit in one plane.");
        buffer = mode switch
        {
            AllocationMode.Zeroed => new T[n],
            AllocationMode.Uninitialized => GC.AllocateUninitializedArray<T>((int)n),
            _ => CellBuffers<T>.Rent((int)n),
        };
        if (mode is AllocationMode.Zeroed or AllocationMode.Uninitialized) HugePages.Advise(buffer); // fresh, not yet touched
        if (mode == AllocationMode.PooledZeroed) Array.Clear(buffer, 0, (int)n);
        pooled = mode is AllocationMode.Pooled or AllocationMode.PooledZeroed;
        owner = true;
        start = 0;
        stride = box.Width;
        Box = box;
    }

    /// <summary>A window onto <paramref name="buffer"/>: a view, or (<paramref name="pinnedPool"/>) the owner of a <see cref="PinnedPlanes{T}"/> buffer.</summary>
    private Image(T[] buffer, int start, int stride, Box box, bool pinnedPool = false)
    {
        RequireUnmanaged();
        this.buffer = buffer;
        this.start = start;
        this.stride = stride;
        Box = box;
        this.pinnedPool = pinnedPool;
        owner = pinnedPool;
    }

    /// <summary>Pixels are raw memory (written to files, pinned, reinterpreted as bytes): a type with references is refused.</summary>
    /// <remarks>A constant for the JIT and crossgen2, so the check costs nothing per image.</remarks>
    private static void RequireUnmanaged()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            throw new NotSupportedException($"Image<{typeof(T).Name}>: pixels must be an unmanaged type (no references).");
    }

    /// <summary>Allocates an image whose pixels are not initialised (the caller overwrites every pixel).</summary>
    public static Image<T> CreateUninitialized(Box box) => new(box, AllocationMode.Uninitialized);

    /// <summary>
    /// Rents the buffer (see <see cref="CellBuffers{T}"/>); <see cref="Dispose"/> returns it.
    /// Use for per-cell work images. <paramref name="clear"/> zero-fills it.
    /// </summary>
    public static Image<T> Rent(Box box, bool clear = true) => new(box, clear ? AllocationMode.PooledZeroed : AllocationMode.Pooled);

    /// <summary>
    /// An image whose pixels are not initialised, on a pinned buffer (never moved by the garbage
    /// collector) with the first pixel on a 64-byte boundary: rows whose pitch is a multiple of 64
    /// bytes start on cache lines, so kernels can write whole lines with aligned non-temporal stores.
    /// <see cref="Dispose"/> keeps the buffer for the next plane of the same size (a process that
    /// reduces exposure after exposure reuses warm pages instead of faulting new ones in).
    /// </summary>
    internal static unsafe Image<T> RentAligned(Box box)
    {
        if (box.IsEmpty) throw new ArgumentException("An image needs a non-empty box.", nameof(box));
        long n = box.Area;
        int size = Unsafe.SizeOf<T>();
        int pad = Math.Max(0, 64 / size - 1);
        if (n + pad > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(box), $"{box} has {n} pixels; at most {Array.MaxLength - pad} fit in one aligned plane.");
        T[] buffer = PinnedPlanes<T>.Rent((int)(n + pad));
        int offset;
        // The buffer is on the pinned object heap: its address holds for its life, no fixed statement needed.
        nuint misaligned = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer)) & 63;
        offset = misaligned == 0 || misaligned % (nuint)size != 0 ? 0 : (int)((64 - misaligned) / (nuint)size);
        return new Image<T>(buffer, offset, box.Width, box, pinnedPool: true);
    }

    /// <summary>Wraps an existing row-major array (no copy; ownership is not transferred).</summary>
    public static Image<T> Wrap(T[] pixels, Box box)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (box.IsEmpty) throw new ArgumentException("An image needs a non-empty box.", nameof(box));
        if (pixels.Length < box.Area) throw new ArgumentException($"{pixels.Length} pixels cannot cover {box}.", nameof(pixels));
        return new Image<T>(pixels, 0, box.Width, box);
    }

    /// <summary>The pixels covered, in parent coordinates; <c>Box.MinX, Box.MinY</c> is xy0.</summary>
    public Box Box { get; }
    public int Width => Box.Width;
    public int Height => Box.Height;
    /// <summary>Origin x (xy0.x).</summary>
    public int X0 => Box.MinX;
    /// <summary>Origin y (xy0.y).</summary>
    public int Y0 => Box.MinY;
    /// <summary>Distance, in pixels, between the starts of consecutive rows in the buffer.</summary>
    public int Stride => stride;
    /// <summary>True when rows follow each other without gaps (whole-plane spans are available).</summary>
    public bool IsContiguous => stride == Box.Width;
    /// <summary>True for a view created by <see cref="Sub"/> or <see cref="View"/>.</summary>
    public bool IsView => !owner;

    private T[] Buffer => buffer ?? throw new ObjectDisposedException(nameof(Image<T>));

    /// <summary>Row <paramref name="y"/> (parent coordinate) as a span of <see cref="Width"/> pixels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Row(int y)
    {
        Debug.Assert(y >= Box.MinY && y <= Box.MaxY, "row outside the image");
        return new Span<T>(Buffer, start + (y - Box.MinY) * stride, Box.Width);
    }

    /// <summary>The buffer behind this image, for kernels that address several images' rows by index (see <see cref="IndexOf"/>).</summary>
    internal T[] UnsafeBuffer => Buffer;

    /// <summary>The index in <see cref="UnsafeBuffer"/> of the pixel at parent coordinates (x, y); not range-checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int IndexOf(int x, int y) => start + (y - Box.MinY) * stride + (x - Box.MinX);

    /// <summary>Row number <paramref name="j"/> counted from the image's first row (0-based, local).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> RowAt(int j)
    {
        Debug.Assert(j >= 0 && j < Box.Height, "row outside the image");
        return new Span<T>(Buffer, start + j * stride, Box.Width);
    }

    /// <summary>The pixel at parent coordinates (x, y).</summary>
    public ref T this[int x, int y]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)(x - Box.MinX) >= (uint)Box.Width || (uint)(y - Box.MinY) >= (uint)Box.Height)
                ThrowOutside(x, y);
            return ref Buffer[start + (y - Box.MinY) * stride + (x - Box.MinX)];
        }
    }

    /// <summary>All pixels as one span; only for contiguous images (see <see cref="IsContiguous"/>).</summary>
    public Span<T> Pixels => IsContiguous
        ? new Span<T>(Buffer, start, checked((int)Box.Area))
        : throw new InvalidOperationException("A non-contiguous view has no single pixel span; iterate its rows.");

    /// <summary>A view of <paramref name="box"/> (parent coordinates), sharing this image's pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The box is empty or not inside this image.</exception>
    public Image<T> Sub(Box box)
    {
        RequireInside(box);
        int offset = (box.MinY - Box.MinY) * stride + (box.MinX - Box.MinX);
        return new Image<T>(Buffer, start + offset, stride, box);
    }

    /// <summary>Checks that <paramref name="box"/> is a non-empty box inside this image (what <see cref="Sub"/> accepts).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The box is empty or not inside this image.</exception>
    internal void RequireInside(Box box)
    {
        if (box.IsEmpty || !Box.Contains(box))
            throw new ArgumentOutOfRangeException(nameof(box), $"{box} does not fit in the image's {Box}.");
    }

    /// <summary>A view of the whole image (a second handle that does not own the buffer).</summary>
    public Image<T> View() => new(Buffer, start, stride, Box);

    /// <summary>
    /// A view of the same pixels under another origin (same size): the reference's <c>setXY0</c>.
    /// </summary>
    public Image<T> WithOrigin(int x0, int y0) => new(Buffer, start, stride, new Box(x0, y0, Box.Width, Box.Height));

    /// <summary>Sets every pixel to <paramref name="value"/>.</summary>
    public void Fill(T value)
    {
        if (IsContiguous) { Pixels.Fill(value); return; }
        for (int j = 0; j < Box.Height; j++) RowAt(j).Fill(value);
    }

    /// <summary>Copies the pixels of <paramref name="source"/> (same width and height) into this image.</summary>
    public void CopyFrom(Image<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Width != Width || source.Height != Height)
            throw new ArgumentException($"Cannot copy {source.Box} into {Box}: sizes differ.", nameof(source));
        for (int j = 0; j < Box.Height; j++) source.RowAt(j).CopyTo(RowAt(j));
    }

    /// <summary>A deep, contiguous, owned copy (same box). Cloning is explicit and rare.</summary>
    public Image<T> Clone()
    {
        var copy = CreateUninitialized(Box);
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>Copies the pixels row by row into a new array (row-major, from MinY).</summary>
    public T[] ToArray()
    {
        var a = new T[Box.Area];
        for (int j = 0; j < Box.Height; j++) RowAt(j).CopyTo(a.AsSpan(j * Width, Width));
        return a;
    }

    /// <summary>Returns a pooled buffer to the pool. Views become unusable. Idempotent.</summary>
    public void Dispose()
    {
        if (!owner) return;
        T[]? b = Interlocked.Exchange(ref buffer, null);
        if (b is null) return;
        if (pooled) CellBuffers<T>.Return(b);
        else if (pinnedPool) PinnedPlanes<T>.Return(b);
    }

    private void ThrowOutside(int x, int y) =>
        throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the image's {Box}.");

    public override string ToString() => $"Image<{typeof(T).Name}>({Box})";

    private enum AllocationMode { Zeroed, Uninitialized, Pooled, PooledZeroed }
}
