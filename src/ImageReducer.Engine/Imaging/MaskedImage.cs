namespace ImageReducer.Engine.Imaging;

/// <summary>Image (float32), mask (int32 bit planes) and variance (float32) on one box.</summary>
public sealed class MaskedImage : IDisposable
{
    /// <summary>Groups three planes; they must share one box.</summary>
    public MaskedImage(Image<float> image, Mask mask, Image<float> variance)
    {
        Image = image ?? throw new ArgumentNullException(nameof(image));
        Mask = mask ?? throw new ArgumentNullException(nameof(mask));
        Variance = variance ?? throw new ArgumentNullException(nameof(variance));
        if (mask.Box != image.Box || variance.Box != image.Box)
            throw new ArgumentException($"Image {image.Box}, mask {mask.Box} and variance {variance.Box} must share one box.");
    }

    /// <summary>Zero image, mask and variance over <paramref name="box"/>, default mask planes.</summary>
    public MaskedImage(Box box) : this(new Image<float>(box), new Mask(box), new Image<float>(box)) { }

    public Image<float> Image { get; }
    public Mask Mask { get; }
    public Image<float> Variance { get; }
    public Box Box => Image.Box;

    /// <summary>A view of <paramref name="box"/> on all three planes.</summary>
    public MaskedImage Sub(Box box) => new(Image.Sub(box), Mask.Sub(box), Variance.Sub(box));

    /// <summary>Deep copy.</summary>
    public MaskedImage Clone() => new(Image.Clone(), Mask.Clone(), Variance.Clone());

    public void Dispose()
    {
        Image.Dispose();
        Mask.Dispose();
        Variance.Dispose();
    }
}
