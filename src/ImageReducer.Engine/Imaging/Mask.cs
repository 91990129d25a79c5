namespace ImageReducer.Engine.Imaging;

/// <summary>An int32 bit-plane mask: pixels plus the plane dictionary that names the bits.</summary>
/// <remarks>Views (<see cref="Sub"/>) share both the pixels and the dictionary.</remarks>
public sealed class Mask : IDisposable
{
    /// <summary>Wraps mask pixels and a plane dictionary (no copy).</summary>
    public Mask(Image<int> pixels, MaskPlaneDictionary planes)
    {
        Pixels = pixels ?? throw new ArgumentNullException(nameof(pixels));
        Planes = planes ?? throw new ArgumentNullException(nameof(planes));
    }

    /// <summary>A zero mask over <paramref name="box"/> with the default planes.</summary>
    public Mask(Box box) : this(new Image<int>(box), MaskPlaneDictionary.CreateDefault()) { }

    public Image<int> Pixels { get; }
    public MaskPlaneDictionary Planes { get; }
    public Box Box => Pixels.Box;

    /// <inheritdoc cref="Image{T}.Row"/>
    public Span<int> Row(int y) => Pixels.Row(y);

    /// <summary>A view of <paramref name="box"/> sharing pixels and planes.</summary>
    public Mask Sub(Box box) => new(Pixels.Sub(box), Planes);

    /// <summary>Adds a plane; see <see cref="MaskPlaneDictionary.Add"/>.</summary>
    public int AddPlane(string name) => Planes.Add(name);

    /// <summary>The OR of the named planes' bits; see <see cref="MaskPlaneDictionary.GetBitMask(IEnumerable{string})"/>.</summary>
    public int GetPlaneBitMask(IEnumerable<string> names) => Planes.GetBitMask(names);

    /// <summary>Deep copy of pixels and planes.</summary>
    public Mask Clone() => new(Pixels.Clone(), Planes.Clone());

    public void Dispose() => Pixels.Dispose();
}
