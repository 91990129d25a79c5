using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ImageReducer.Engine.Imaging;

/// <summary>
/// The bytes of a span of pixels (<see cref="MemoryMarshal.AsBytes{T}(Span{T})"/> without its <c>struct</c>
/// constraint), for the generic pixel code that stays unconstrained so crossgen2 precompiles it (see
/// <see cref="Image{T}"/>): the element type is an unmanaged pixel type, as <see cref="Image{T}"/> checks.
/// </summary>
internal static class PixelBytes
{
    /// <summary>The bytes of <paramref name="pixels"/>.</summary>
    public static Span<byte> Of<T>(Span<T> pixels) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(pixels)), checked(pixels.Length * Unsafe.SizeOf<T>()));

    /// <summary>The bytes of <paramref name="pixels"/>.</summary>
    public static ReadOnlySpan<byte> Of<T>(ReadOnlySpan<T> pixels) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(pixels)), checked(pixels.Length * Unsafe.SizeOf<T>()));
}
