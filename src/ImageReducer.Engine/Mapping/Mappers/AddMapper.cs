using System.Runtime.CompilerServices;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// <c>add</c>: the reference's test mapper (<c>AddAmountImageMapper</c>). Returns a new sub-exposure
/// over the cell whose image is the cell's plus <see cref="AddMapperOptions.AddAmount"/> (converted to
/// float32 first, as afw's <c>ImageF += scalar</c>); mask and variance are the cell's (non-owning
/// views: <c>add</c> does not change them, so copying them as the reference's clone does would only
/// cost time and memory for the same reduced output), PSF, WCS and
/// metadata are the input's. With <see cref="AddMapperOptions.AddNans"/>, pixel [0, 0] of each
/// returned sub-image (its box minimum) is set to NaN.
/// </summary>
/// <remarks>The output image uses a pooled buffer; the runner disposes it after reducing. Whoever keeps
/// a result (<c>reduceOperation: none</c>, <c>returnSubImages</c>) must not write its mask or variance,
/// which are the input's pixels.</remarks>
[MapperName("add", Description = "Adds addAmount to the image plane; addNans sets pixel [0,0] of each cell to NaN.")]
public sealed class AddMapper(AddMapperOptions options) : IMapper
{
    private readonly float amount = (float)(options ?? throw new ArgumentNullException(nameof(options))).AddAmount;

    /// <summary>The options this mapper was built with.</summary>
    public AddMapperOptions Options { get; } = options;

    /// <inheritdoc/>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        Exposure output = PooledExposure.RentImageSharingMaskAndVariance(cell);
        for (int j = 0; j < cell.Height; j++) AddRow(cell.Image.RowAt(j), output.Image.RowAt(j), amount);
        if (Options.AddNans) output.Image[cell.Box.MinX, cell.Box.MinY] = float.NaN;
        return new ExposureResult(output);
    }

    /// <summary>target = source + amount, in float32 (vector lanes round exactly as the scalar sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from its first call in a fresh process
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

/// <summary>Options of the <c>add</c> mapper.</summary>
public sealed record AddMapperOptions : IMapperOptions
{
    /// <summary>Amount added to every image pixel (converted to float32); default 10 as the reference's test. Must be finite.</summary>
    [Description("Amount added to every image pixel (as float32).")]
    public double AddAmount { get; init; } = 10;

    /// <summary>Set pixel [0, 0] of each returned sub-image to NaN (the reference's <c>addNans</c>).</summary>
    [Description("Set pixel [0,0] of each returned cell to NaN.")]
    public bool AddNans { get; init; }

    /// <inheritdoc/>
    public void Validate() => ConfigGuard.Finite(AddAmount, "mapper.addAmount");
}
