using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

/// <summary>Big-endian ↔ native conversion of whole rows (vectorised ReverseEndianness) and BZERO/BSCALE/BLANK scaling.</summary>
internal static class FitsPixels
{
    /// <summary>The BITPIX that stores <typeparamref name="T"/> natively, or 0.</summary>
    public static int BitpixOf<T>()
    {
        if (typeof(T) == typeof(byte)) return 8;
        if (typeof(T) == typeof(short)) return 16;
        if (typeof(T) == typeof(int)) return 32;
        if (typeof(T) == typeof(long)) return 64;
        if (typeof(T) == typeof(float)) return -32;
        if (typeof(T) == typeof(double)) return -64;
        return 0;
    }

    /// <summary>Swaps every element of <paramref name="bytes"/> in place (big-endian ↔ little-endian).</summary>
    public static void SwapInPlace(Span<byte> bytes, int elementSize)
    {
        if (!BitConverter.IsLittleEndian) return;
        switch (elementSize)
        {
            case 2: { var s = MemoryMarshal.Cast<byte, short>(bytes); BinaryPrimitives.ReverseEndianness(s, s); break; }
            case 4: { var s = MemoryMarshal.Cast<byte, int>(bytes); BinaryPrimitives.ReverseEndianness(s, s); break; }
            case 8: { var s = MemoryMarshal.Cast<byte, long>(bytes); BinaryPrimitives.ReverseEndianness(s, s); break; }
        }
    }

    /// <summary>Writes the big-endian encoding of <paramref name="source"/> into <paramref name="destination"/> (one pass).</summary>
    public static void ToBigEndian<T>(ReadOnlySpan<T> source, Span<byte> destination)
    {
        var src = PixelBytes.Of(source);
        if (!BitConverter.IsLittleEndian) { src.CopyTo(destination); return; }
        switch (Unsafe.SizeOf<T>())
        {
            case 1: src.CopyTo(destination); break;
            case 2: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, short>(src), MemoryMarshal.Cast<byte, short>(destination)); break;
            case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, int>(src), MemoryMarshal.Cast<byte, int>(destination)); break;
            case 8: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, long>(src), MemoryMarshal.Cast<byte, long>(destination)); break;
            default: throw new NotSupportedException($"Pixel type {typeof(T).Name} has no FITS BITPIX.");
        }
    }

    /// <summary>Converts native-order stored values (already swapped) to <typeparamref name="T"/>, applying physical = BZERO + BSCALE × stored; BLANK becomes NaN for real targets.</summary>
    public static void Convert<T>(ReadOnlySpan<byte> raw, int bitpix, double bzero, double bscale, long? blank, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        switch (bitpix)
        {
            case 8: ConvertFrom(raw, bzero, bscale, blank, destination); break;
            case 16: ConvertFrom(MemoryMarshal.Cast<byte, short>(raw), bzero, bscale, blank, destination); break;
            case 32: ConvertFrom(MemoryMarshal.Cast<byte, int>(raw), bzero, bscale, blank, destination); break;
            case 64: ConvertFrom(MemoryMarshal.Cast<byte, long>(raw), bzero, bscale, blank, destination); break;
            case -32: ConvertFrom(MemoryMarshal.Cast<byte, float>(raw), bzero, bscale, null, destination); break;
            case -64: ConvertFrom(MemoryMarshal.Cast<byte, double>(raw), bzero, bscale, null, destination); break;
            default: throw new ArgumentOutOfRangeException(nameof(bitpix));
        }
    }

    private static void ConvertFrom<TRaw, T>(ReadOnlySpan<TRaw> src, double bzero, double bscale, long? blank, Span<T> dst)
        where TRaw : unmanaged, INumberBase<TRaw>
        where T : unmanaged, INumberBase<T>
    {
        bool realTarget = typeof(T) == typeof(float) || typeof(T) == typeof(double);
        bool identity = bzero == 0 && bscale == 1;
        if (realTarget)
        {
            bool checkBlank = blank.HasValue;
            long b = blank.GetValueOrDefault();
            for (int i = 0; i < dst.Length; i++)
            {
                TRaw r = src[i];
                dst[i] = checkBlank && long.CreateTruncating(r) == b
                    ? T.CreateTruncating(double.NaN)
                    : T.CreateTruncating(double.CreateTruncating(r) * bscale + bzero);
            }
        }
        else if (identity)
        {
            for (int i = 0; i < dst.Length; i++) dst[i] = T.CreateSaturating(src[i]);
        }
        else
        {
            for (int i = 0; i < dst.Length; i++) dst[i] = T.CreateSaturating(Math.Round(double.CreateTruncating(src[i]) * bscale + bzero));
        }
    }
}
