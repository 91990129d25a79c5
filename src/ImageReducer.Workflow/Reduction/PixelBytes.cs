using System.Buffers;
using System.Runtime.InteropServices;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The bytes of a pixel array as <see cref="Memory{T}"/> of bytes, so an asynchronous download can
/// write straight into an image's pixels (no staging buffer, no copy).
/// </summary>
/// <remarks>Pinning allocates a pinned GC handle for the time the socket layer holds the memory.</remarks>
internal sealed class PixelBytes<T>(T[] array) : MemoryManager<byte> where T : unmanaged
{
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(array.AsSpan());

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        return new MemoryHandle((byte*)handle.AddrOfPinnedObject() + elementIndex, handle);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
