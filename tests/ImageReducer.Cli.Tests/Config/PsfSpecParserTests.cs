using ImageReducer.Cli.Config;
using ImageReducer.Cli.Errors;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Tests.Config;

public class PsfSpecParserTests
{
    private static Psf NoKernel(FileInfo f) => throw new InvalidOperationException("no kernel expected");

    [Fact]
    public void Parse_GaussianWithSigmaOnly_Uses11x11LikeTheReference()
    {
        var psf = Assert.IsType<GaussianPsf>(PsfSpecParser.Parse("gaussian:sigma=2.0", NoKernel));
        Assert.Equal((11, 11, 2.0), (psf.Width, psf.Height, psf.Sigma));
    }

    [Fact]
    public void Parse_GaussianWithSize_UsesGivenSize()
    {
        var psf = Assert.IsType<GaussianPsf>(PsfSpecParser.Parse("gaussian:sigma=1.5,width=15,height=9", NoKernel));
        Assert.Equal((15, 9), (psf.Width, psf.Height));
    }

    [Fact]
    public void Parse_DoubleGaussian_ReadsEveryParameter()
    {
        var psf = Assert.IsType<DoubleGaussianPsf>(PsfSpecParser.Parse("double-gaussian:width=11,height=13,sigma1=2.0,sigma2=3.7,b=0.1", NoKernel));
        Assert.Equal((11, 13, 2.0, 3.7, 0.1), (psf.Width, psf.Height, psf.Sigma1, psf.Sigma2, psf.B));
    }

    [Fact]
    public void Parse_Kernel_PassesThePathToTheLoader()
    {
        var expected = new GaussianPsf(5, 5, 1);
        FileInfo? seen = null;
        Psf psf = PsfSpecParser.Parse("kernel:/data/k.fits", f => { seen = f; return expected; });
        Assert.Same(expected, psf);
        Assert.Equal("/data/k.fits", seen!.FullName);
    }

    [Theory]
    [InlineData("gaussian", "KIND:PARAMETERS")]
    [InlineData("gaussian:width=11", "sigma is required")]
    [InlineData("gaussian:sigma=abc", "sigma must be a number")]
    [InlineData("gaussian:sigma=2,depth=3", "unknown parameter 'depth'")]
    [InlineData("gaussian:sigma=-1", "sigma must be > 0")]
    [InlineData("gaussian:sigma=2,width=10.5", "width must be a whole number")]
    [InlineData("moffat:beta=3", "unknown PSF kind 'moffat'")]
    [InlineData("kernel:", "needs a FITS file path")]
    [InlineData("gaussian:sigma=2,sigma=3", "sigma is given twice")]
    public void Parse_BadSpec_ThrowsUsageQuotingSpec(string spec, string why)
    {
        var e = Assert.Throws<UsageException>(() => PsfSpecParser.Parse(spec, NoKernel));
        Assert.Contains($"--psf '{spec}'", e.Message);
        Assert.Contains(why, e.Message);
    }
}
