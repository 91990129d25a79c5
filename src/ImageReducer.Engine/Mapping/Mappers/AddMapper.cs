using System.Runtime.CompilerServices;
using System.ComponentModel;
using System.Runtime.Intrinsics;
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
public sealed class AddMapper(AddMapperOptions options) : ICellLocalMapper
{
    private readonly float amount = (float)(options ?? throw new ArgumentNullException(nameof(options))).AddAmount;

    /// <summary>The options this mapper was built with.</summary>
    public AddMapperOptions Options { get; } = options;

    /// <inheritdoc/>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return MapBox(cell, cell.Box);
    }

    /// <inheritdoc/>
    public MapResult MapBox(Exposure exposure, Box box)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        Image<float> source = exposure.Image;
        source.RequireInside(box); // the block below reads the source's buffer directly, not through a view
        var image = Image<float>.Rent(box, clear: false);
        AddBlock(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(source.UnsafeBuffer), source.IndexOf(box.MinX, box.MinY)), source.Stride,
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(image.UnsafeBuffer), image.IndexOf(box.MinX, box.MinY)), image.Stride,
            box.Width, box.Height, amount);
        if (Options.AddNans) image[box.MinX, box.MinY] = float.NaN;
        // Mask and variance: non-owning views of the input's (add does not change them; see PooledExposure).
        return new ExposureResult(PooledExposure.WithImage(image, exposure, box));
    }

    /// <summary>
    /// target = source + amount over <paramref name="height"/> rows of <paramref name="width"/> pixels, in
    /// float32 (vector lanes round exactly as the scalar sum). One call per cell, on refs, with the vector
    /// code inside: crossgen2 precompiles it (a vector or a framework span helper in the way would leave
    /// it to the JIT of each fresh process, or make every row a call).
    /// </summary>
    private static void AddBlock(ref float source, int sourceStride, ref float target, int targetStride, int width, int height, float amount)
    {
        const int lanes = 8;
        if (Vector256.IsHardwareAccelerated && width >= lanes)
        {
            var a = Vector256.Create(amount);
            int last = width - lanes;
            for (int j = 0; j < height; j++)
            {
                ref float s = ref Unsafe.Add(ref source, (nint)j * sourceStride);
                ref float t = ref Unsafe.Add(ref target, (nint)j * targetStride);
                for (int i = 0; i < last; i += lanes)
                    Unsafe.As<float, Vector256<float>>(ref Unsafe.Add(ref t, i)) = Vector256.LoadUnsafe(ref s, (nuint)i) + a;
                // The last vector ends at the row's end; it may overlap the one before, which it rewrites with the same sums.
                Unsafe.As<float, Vector256<float>>(ref Unsafe.Add(ref t, last)) = Vector256.LoadUnsafe(ref s, (nuint)last) + a;
            }
            return;
        }
        for (int j = 0; j < height; j++)
        {
            ref float s = ref Unsafe.Add(ref source, (nint)j * sourceStride);
            ref float t = ref Unsafe.Add(ref target, (nint)j * targetStride);
            for (int i = 0; i < width; i++) Unsafe.Add(ref t, i) = Unsafe.Add(ref s, i) + amount;
        }
    }
}

/// <summary>Options of the <c>add</c> mapper.</summary>
public sealed record AddMapperOptions : IMapperOptions
{
    /// <summary>The options' JSON form (<see cref="MapperOptionsForm"/>).</summary>
    internal static MapperOptionsForm JsonForm { get; } = MapperOptionsForm.Of<AddMapperOptions>(
        JsonFields.Number<AddMapperOptions>(nameof(AddAmount), o => o.AddAmount, (o, v) => o with { AddAmount = v }),
        JsonFields.Bool<AddMapperOptions>(nameof(AddNans), o => o.AddNans, (o, v) => o with { AddNans = v }));

    /// <summary>Amount added to every image pixel (converted to float32); default 10 as the reference's test. Must be finite.</summary>
    [Description("Amount added to every image pixel (as float32).")]
    public double AddAmount { get; init; } = 10;

    /// <summary>Set pixel [0, 0] of each returned sub-image to NaN (the reference's <c>addNans</c>).</summary>
    [Description("Set pixel [0,0] of each returned cell to NaN.")]
    public bool AddNans { get; init; }

    /// <inheritdoc/>
    public void Validate() => ConfigGuard.Finite(AddAmount, "mapper.addAmount");
}
