using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// Loads and stores the per-pixel contribution counts, kept as <see cref="byte"/>, <see cref="ushort"/>
/// or <see cref="int"/> (as narrow as the grid allows, see <see cref="Coverage"/>), as one
/// <see cref="Vector{T}"/> of int32 lanes, so the folds compute in int32 whatever the storage.
/// </summary>
/// <remarks>
/// The type tests are JIT-time constants for each instantiation, so each width compiles to its own
/// straight-line widen/narrow. Narrow widths need <see cref="Vector{T}"/> of 4 or 8 int32 lanes
/// (<see cref="SupportsNarrow"/>); elsewhere the counts stay int32. Stores truncate: callers keep
/// counts within the storage's range.
/// </remarks>
internal static class CountLanes
{
    /// <summary>True when byte and ushort counts can be vector-loaded on this machine.</summary>
    public static bool SupportsNarrow => Vector<int>.Count is 4 or 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> Load<T>(ref T origin, nuint k) where T : unmanaged
    {
        if (typeof(T) == typeof(int)) return Vector.LoadUnsafe(ref Unsafe.As<T, int>(ref origin), k);
        ref T at = ref Unsafe.Add(ref origin, k);
        if (typeof(T) == typeof(ushort))
        {
            ref ushort p = ref Unsafe.As<T, ushort>(ref at);
            if (Vector<int>.Count == 8)
                return Vector256.WidenLower(Vector128.LoadUnsafe(ref p).ToVector256Unsafe()).AsInt32().AsVector();
            if (Vector<int>.Count == 4)
                return Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref p))).AsUInt16()).AsInt32().AsVector();
        }
        if (typeof(T) == typeof(byte))
        {
            ref byte p = ref Unsafe.As<T, byte>(ref at);
            if (Vector<int>.Count == 8)
                return Vector256.WidenLower(Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref p)).AsByte()).ToVector256Unsafe()).AsInt32().AsVector();
            if (Vector<int>.Count == 4)
                return Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref p)).AsByte())).AsInt32().AsVector();
        }
        throw new NotSupportedException($"Counts of {typeof(T).Name} with {Vector<int>.Count} int32 lanes.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector<int> value, ref T origin, nuint k) where T : unmanaged
    {
        if (typeof(T) == typeof(int))
        {
            Vector.StoreUnsafe(value, ref Unsafe.As<T, int>(ref origin), k);
            return;
        }
        ref byte p = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref origin, k));
        Vector128<ushort> narrowed;
        if (Vector<int>.Count == 8) narrowed = Vector256.Narrow(value.AsVector256().AsUInt32(), Vector256<uint>.Zero).GetLower();
        else if (Vector<int>.Count == 4) narrowed = Vector128.Narrow(value.AsVector128().AsUInt32(), Vector128<uint>.Zero);
        else throw new NotSupportedException($"Counts of {typeof(T).Name} with {Vector<int>.Count} int32 lanes.");
        if (typeof(T) == typeof(ushort))
        {
            if (Vector<int>.Count == 8) narrowed.StoreUnsafe(ref Unsafe.As<byte, ushort>(ref p));
            else Unsafe.WriteUnaligned(ref p, narrowed.AsUInt64().ToScalar());
            return;
        }
        if (typeof(T) == typeof(byte))
        {
            var bytes = Vector128.Narrow(narrowed, Vector128<ushort>.Zero);
            if (Vector<int>.Count == 8) Unsafe.WriteUnaligned(ref p, bytes.AsUInt64().ToScalar());
            else Unsafe.WriteUnaligned(ref p, bytes.AsUInt32().ToScalar());
            return;
        }
        throw new NotSupportedException($"Counts of {typeof(T).Name}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Get<T>(ReadOnlySpan<T> counts, int i) where T : unmanaged
    {
        if (typeof(T) == typeof(int)) return Unsafe.As<T, int>(ref Unsafe.AsRef(in counts[i]));
        if (typeof(T) == typeof(ushort)) return Unsafe.As<T, ushort>(ref Unsafe.AsRef(in counts[i]));
        if (typeof(T) == typeof(byte)) return Unsafe.As<T, byte>(ref Unsafe.AsRef(in counts[i]));
        throw new NotSupportedException($"Counts of {typeof(T).Name}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Set<T>(Span<T> counts, int i, int value) where T : unmanaged
    {
        if (typeof(T) == typeof(int)) Unsafe.As<T, int>(ref counts[i]) = value;
        else if (typeof(T) == typeof(ushort)) Unsafe.As<T, ushort>(ref counts[i]) = (ushort)value;
        else if (typeof(T) == typeof(byte)) Unsafe.As<T, byte>(ref counts[i]) = (byte)value;
        else throw new NotSupportedException($"Counts of {typeof(T).Name}.");
    }
}
