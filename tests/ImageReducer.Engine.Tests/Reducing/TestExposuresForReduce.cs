using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.Reducing;

/// <summary>Small exposures for the reducer tests.</summary>
internal static class TestExposuresForReduce
{
    public static Exposure Constant(Box box, float value)
    {
        var e = new Exposure(box);
        e.Image.Fill(value);
        e.Variance.Fill(1f);
        return e;
    }
}
