using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.Imaging;

public class BoxTests
{
    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    [InlineData(-3, 5)]
    public void Constructor_NonPositiveSize_IsEmptyWithReferenceCorners(int w, int h)
    {
        var b = new Box(7, 9, w, h);
        Assert.True(b.IsEmpty);
        Assert.Equal((0, 0, -1, -1), (b.MinX, b.MinY, b.MaxX, b.MaxY));
        Assert.Equal(0, b.Area);
        Assert.Equal(Box.Empty, b);
    }

    [Fact]
    public void FromMinMax_Inclusive_WidthIsMaxMinusMinPlusOne()
    {
        var b = Box.FromMinMax(-2, 3, 4, 3);
        Assert.Equal((7, 1), (b.Width, b.Height));
        Assert.Equal(7, b.Area);
        Assert.True(Box.FromMinMax(5, 0, 4, 10).IsEmpty);
    }

    [Fact]
    public void Clip_OverlapAndDisjoint()
    {
        var a = Box.FromMinMax(0, 0, 9, 9);
        Assert.Equal(Box.FromMinMax(5, 3, 9, 9), a.Clip(Box.FromMinMax(5, 3, 20, 20)));
        Assert.True(a.Clip(Box.FromMinMax(10, 0, 12, 9)).IsEmpty); // touching but disjoint
        Assert.True(a.Clip(Box.Empty).IsEmpty);
        Assert.True(Box.Empty.Clip(a).IsEmpty);
    }

    [Fact]
    public void Grow_PositiveNegativeAndToEmpty()
    {
        var a = Box.FromMinMax(0, 0, 9, 9);
        Assert.Equal(Box.FromMinMax(-2, -1, 11, 10), a.Grow(2, 1));
        Assert.Equal(Box.FromMinMax(3, 3, 6, 6), a.Grow(-3));
        Assert.True(a.Grow(-5).IsEmpty); // 10 − 2·5 = 0 wide
        Assert.True(Box.Empty.Grow(3).IsEmpty);
    }

    [Fact]
    public void Shift_MovesAndKeepsEmptyEmpty()
    {
        Assert.Equal(Box.FromMinMax(3, -4, 5, -2), Box.FromMinMax(0, 0, 2, 2).Shift(3, -4));
        Assert.True(Box.Empty.Shift(5, 5).IsEmpty);
        Assert.Equal(Box.Empty, Box.Empty.Shift(5, 5));
    }

    [Fact]
    public void Include_PointAndBox()
    {
        Assert.Equal(new Box(4, 5, 1, 1), Box.Empty.Include(4, 5));
        Assert.Equal(Box.FromMinMax(-1, 0, 3, 8), Box.FromMinMax(0, 0, 3, 3).Include(-1, 8));
        Assert.Equal(Box.FromMinMax(0, 0, 3, 3), Box.FromMinMax(0, 0, 3, 3).Include(2, 2));
        Assert.Equal(Box.FromMinMax(0, 0, 3, 3), Box.Empty.Include(Box.FromMinMax(0, 0, 3, 3)));
        Assert.Equal(Box.FromMinMax(0, 0, 3, 3), Box.FromMinMax(0, 0, 3, 3).Include(Box.Empty));
        Assert.Equal(Box.FromMinMax(-5, 0, 3, 7), Box.FromMinMax(0, 0, 3, 3).Include(Box.FromMinMax(-5, 6, -4, 7)));
    }

    [Fact]
    public void Contains_PixelsAndBoxes()
    {
        var a = Box.FromMinMax(0, 0, 9, 4);
        Assert.True(a.Contains(0, 0));
        Assert.True(a.Contains(9, 4));
        Assert.False(a.Contains(10, 4));
        Assert.False(a.Contains(0, -1));
        Assert.False(Box.Empty.Contains(0, 0));
        Assert.True(a.Contains(Box.FromMinMax(2, 1, 9, 4)));
        Assert.False(a.Contains(Box.FromMinMax(2, 1, 10, 4)));
        Assert.True(a.Contains(Box.Empty));
        Assert.False(Box.Empty.Contains(a));
    }

    [Theory]
    [InlineData(-0.5, -0.5, true)]   // min − 0.5 is inside
    [InlineData(9.4999, 4.4999, true)]
    [InlineData(9.5, 2, false)]      // max + 0.5 is outside
    [InlineData(3, 4.5, false)]
    [InlineData(-0.5000001, 2, false)]
    public void ContainsPoint_HalfOpenAtMinusHalfAndPlusHalf(double x, double y, bool inside)
    {
        Assert.Equal(inside, Box.FromMinMax(0, 0, 9, 4).ContainsPoint(x, y));
    }

    [Fact]
    public void ContainsPoint_EmptyBox_IsFalse() => Assert.False(Box.Empty.ContainsPoint(0, 0));

    [Fact]
    public void Center_IsMidpointOfInclusiveCorners()
    {
        Assert.Equal(new Point2D(4.5, 2), Box.FromMinMax(0, 0, 9, 4).Center);
    }

    [Fact]
    public void ToArray_IsInclusiveCorners()
    {
        Assert.Equal(new[] { -1, 2, 3, 5 }, Box.FromMinMax(-1, 2, 3, 5).ToArray());
    }
}
