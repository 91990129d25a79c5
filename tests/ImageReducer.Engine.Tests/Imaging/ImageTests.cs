using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.Imaging;

/// <summary>The same behaviour for every supported pixel type; one derived class per type.</summary>
public abstract class ImageTests<T> where T : unmanaged, IEquatable<T>
{
    protected abstract T Value(int i);

    private static readonly Box Parent = new(10, 20, 8, 6);

    private Image<T> Filled()
    {
        var img = new Image<T>(Parent);
        for (int y = Parent.MinY; y <= Parent.MaxY; y++)
            for (int x = Parent.MinX; x <= Parent.MaxX; x++) img[x, y] = Value((y - 20) * 8 + (x - 10));
        return img;
    }

    [Fact]
    public void Sub_SharesMemoryWithParent()
    {
        using var img = Filled();
        var view = img.Sub(Box.FromMinMax(12, 21, 14, 23));
        Assert.True(view.IsView);
        view[13, 22] = Value(99);
        Assert.Equal(Value(99), img[13, 22]);
        img[14, 23] = Value(77);
        Assert.Equal(Value(77), view[14, 23]);
    }

    [Fact]
    public void Row_TakesParentCoordinates_RowAtLocal()
    {
        using var img = Filled();
        var view = img.Sub(Box.FromMinMax(12, 21, 14, 23));
        Assert.Equal(3, view.Row(22).Length);
        Assert.Equal(img[12, 22], view.Row(22)[0]);
        Assert.Equal(img[12, 21], view.RowAt(0)[0]);
        Assert.False(view.IsContiguous);
        Assert.Equal(8, view.Stride);
    }

    [Fact]
    public void Sub_OutsideOrEmpty_Throws()
    {
        using var img = Filled();
        Assert.Throws<ArgumentOutOfRangeException>(() => img.Sub(Box.FromMinMax(9, 20, 12, 22)));
        Assert.Throws<ArgumentOutOfRangeException>(() => img.Sub(Box.FromMinMax(10, 20, 17, 26)));
        Assert.Throws<ArgumentOutOfRangeException>(() => img.Sub(Box.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => img[9, 20]);
    }

    [Fact]
    public void Clone_IsIndependentAndContiguous()
    {
        using var img = Filled();
        var view = img.Sub(Box.FromMinMax(12, 21, 14, 23));
        using var copy = view.Clone();
        Assert.Equal(view.Box, copy.Box);
        Assert.True(copy.IsContiguous);
        Assert.False(copy.IsView);
        Assert.Equal(view.ToArray(), copy.ToArray());
        copy[12, 21] = Value(55);
        Assert.NotEqual(Value(55), img[12, 21]);
    }

    [Fact]
    public void WithOrigin_SamePixelsNewBox()
    {
        using var img = Filled();
        var moved = img.WithOrigin(-3, 4);
        Assert.Equal(new Box(-3, 4, 8, 6), moved.Box);
        Assert.Equal(img[10, 20], moved[-3, 4]);
        moved[-2, 5] = Value(42);
        Assert.Equal(Value(42), img[11, 21]);
    }

    [Fact]
    public void Rent_ClearedAndDisposeReleases()
    {
        var img = Image<T>.Rent(new Box(0, 0, 33, 3));
        Assert.All(img.ToArray(), v => Assert.Equal(default, v));
        img.Fill(Value(1));
        img.Dispose();
        img.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => img.Row(0).Length);
    }

    [Fact]
    public void FillAndCopyFrom_OnViews()
    {
        using var img = Filled();
        var view = img.Sub(Box.FromMinMax(11, 21, 12, 22));
        view.Fill(Value(5));
        Assert.Equal(Value(5), img[12, 22]);
        Assert.NotEqual(Value(5), img[13, 22]);
        using var other = new Image<T>(new Box(0, 0, 2, 2));
        other.CopyFrom(view);
        Assert.Equal(view.ToArray(), other.ToArray());
        Assert.Throws<ArgumentException>(() => other.CopyFrom(img));
    }

    [Fact]
    public void Constructor_EmptyBox_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Image<T>(Box.Empty));
        Assert.Throws<ArgumentException>(() => Image<T>.Wrap(new T[3], new Box(0, 0, 2, 2)));
    }

    [Fact]
    public void Wrap_SharesTheArray()
    {
        var a = new T[6];
        var img = Image<T>.Wrap(a, new Box(5, 5, 3, 2));
        img[6, 6] = Value(9);
        Assert.Equal(Value(9), a[4]);
    }
}

public class FloatImageTests : ImageTests<float> { protected override float Value(int i) => i + 0.5f; }
public class DoubleImageTests : ImageTests<double> { protected override double Value(int i) => i + 0.25; }
public class IntImageTests : ImageTests<int> { protected override int Value(int i) => i * 3 + 1; }
public class ShortImageTests : ImageTests<short> { protected override short Value(int i) => (short)(i * 7 + 1); }
public class ByteImageTests : ImageTests<byte> { protected override byte Value(int i) => (byte)(i + 1); }

/// <summary>
/// <see cref="Image{T}"/> has no <c>unmanaged</c> constraint (so crossgen2 precompiles its float and int planes):
/// the check it does instead refuses pixel types with references on every path that makes an image.
/// </summary>
public class ImagePixelTypeTests
{
    private readonly record struct WithReference(string Name);

    [Fact]
    public void PixelTypeWithReferences_IsRefusedByEveryConstructor()
    {
        var box = new Box(0, 0, 2, 2);
        Assert.Throws<NotSupportedException>(() => new Image<string>(box));
        Assert.Throws<NotSupportedException>(() => Image<WithReference>.CreateUninitialized(box));
        Assert.Throws<NotSupportedException>(() => Image<object>.Rent(box));
        var e = Assert.Throws<NotSupportedException>(() => Image<string>.Wrap(new string[4], box));
        Assert.Contains("unmanaged", e.Message);
    }

    [Fact]
    public void PixelBytes_AreThePixelsInMemoryOrder()
    {
        float[] pixels = [1f, -2.5f, float.NaN];
        var bytes = PixelBytes.Of<float>(pixels.AsSpan());
        Assert.Equal(12, bytes.Length);
        Assert.Equal(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray(), bytes.ToArray());
        bytes[0] ^= 1; // a view, not a copy
        Assert.NotEqual(1f, pixels[0]);
    }
}
