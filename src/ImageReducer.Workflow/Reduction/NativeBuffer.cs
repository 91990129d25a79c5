using System.Buffers;
using System.Runtime.InteropServices;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// A byte buffer outside the managed heap, given back to the operating system when disposed: for a whole downloaded
/// file that is only needed until its pixels are decoded. A managed array of that size would stay resident until the
/// collector next runs a full collection, which in the whole-exposure activity is after the peak it is part of.
/// </summary>
internal sealed unsafe class NativeBuffer : MemoryManager<byte>
{
    private byte* pointer;
    private readonly int length;

    /// <summary>Allocates <paramref name="length"/> bytes (not initialised).</summary>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        this.length = length;
        pointer = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, length));
    }

    /// <summary>The buffer as a stream (read only) over its first <paramref name="count"/> bytes.</summary>
    public Stream OpenRead(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)length, nameof(count));
        return new UnmanagedMemoryStream(Pointer, count, count, FileAccess.Read);
    }

    private byte* Pointer => pointer != null ? pointer : throw new ObjectDisposedException(nameof(NativeBuffer));

    public override Span<byte> GetSpan() => new(Pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)length, nameof(elementIndex));
        return new MemoryHandle(Pointer + elementIndex); // never moves
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        byte* p = pointer;
        pointer = null;
        if (p != null) NativeMemory.Free(p);
    }
}
