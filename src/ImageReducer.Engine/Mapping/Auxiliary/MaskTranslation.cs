using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Auxiliary;

/// <summary>
/// Moves the bits of one mask into another mask's plane dictionary, by plane name: two files may number their planes
/// differently, and a bit means what its plane is called. Planes the target does not know are dropped.
/// </summary>
public sealed class MaskTranslation
{
    private readonly int[] bitOf; // bit index in the source → bit value in the target (0: dropped)
    private readonly bool identity;

    /// <summary>The translation of <paramref name="source"/>'s bits into <paramref name="target"/>'s.</summary>
    public MaskTranslation(MaskPlaneDictionary source, MaskPlaneDictionary target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        bitOf = new int[MaskPlaneDictionary.MaxPlanes];
        foreach (var (name, bit) in source.Planes)
            if (target.TryGetBit(name, out int to)) bitOf[bit] = 1 << to;
        // Same planes at the same bits (the usual case: both files written by one pipeline): a plain OR.
        identity = ReferenceEquals(source, target) || source.SameAs(target);
    }

    /// <summary>ORs <paramref name="source"/>'s bits, translated, into <paramref name="target"/> (same length).</summary>
    public void OrInto(ReadOnlySpan<int> source, Span<int> target)
    {
        if (identity)
        {
            for (int i = 0; i < source.Length; i++) target[i] |= source[i];
            return;
        }
        for (int i = 0; i < source.Length; i++)
        {
            int v = source[i];
            if (v == 0) continue;
            int r = 0;
            while (v != 0)
            {
                int b = System.Numerics.BitOperations.TrailingZeroCount(v);
                r |= bitOf[b];
                v &= v - 1;
            }
            target[i] |= r;
        }
    }
}
