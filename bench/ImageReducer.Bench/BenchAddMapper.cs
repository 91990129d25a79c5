using System.Numerics;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Bench;

/// <summary>
/// Bench-local stand-in for the built-in <c>add</c> mapper (the reference's AddAmountImageMapper):
/// image + amount (float32), mask and variance unchanged. Swap for the engine's mapper when it lands.
/// </summary>
/// <remarks>
/// The image is a rented buffer (returned to the pool when the runner disposes the folded result);
/// mask and variance are returned as the cell's own views, since <c>add</c> does not change them
/// (the reference clones all three planes; the output is the same).
/// </remarks>
internal sealed class BenchAddMapper(float amount) : IMapper
{
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        var image = Image<float>.Rent(cell.Box, clear: false);
        for (int j = 0; j < cell.Height; j++) AddRow(cell.Image.RowAt(j), image.RowAt(j), amount);
        var masked = new MaskedImage(image, cell.Mask, cell.Variance);
        return new ExposureResult(new Exposure(masked, cell.Psf, cell.Wcs, cell.Metadata));
    }

    private static void AddRow(ReadOnlySpan<float> source, Span<float> target, float amount)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<float>.Count)
        {
            var a = new Vector<float>(amount);
            ref float s = ref MemoryMarshal.GetReference(source);
            ref float t = ref MemoryMarshal.GetReference(target);
            for (; i <= source.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref s, (nuint)i) + a, ref t, (nuint)i);
        }
        for (; i < source.Length; i++) target[i] = source[i] + amount;
    }
}
