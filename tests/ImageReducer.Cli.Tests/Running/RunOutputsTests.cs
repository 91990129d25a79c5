using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Running;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Cli.Tests.Running;

public class RunOutputsTests
{
    [Fact]
    public void Resolve_Average_DefaultsMetadataToOutputPlusMetadataJson()
    {
        RunOutputs o = RunOutputs.Resolve(Reducers.For(ReduceOperation.Average), new FileInfo("/d/out.fits"), null, null);
        Assert.Equal(("/d/out.fits", "/d/out.fits.metadata.json", "exposure"), (o.Primary.FullName, o.Metadata.FullName, o.Kind));
    }

    [Fact]
    public void Resolve_None_DefaultsMetadataToResultsPlusMetadataJson()
    {
        RunOutputs o = RunOutputs.Resolve(Reducers.For(ReduceOperation.None), null, new FileInfo("/d/values.json"), null);
        Assert.Equal(("/d/values.json", "/d/values.json.metadata.json", "results"), (o.Primary.FullName, o.Metadata.FullName, o.Kind));
    }

    [Fact]
    public void Resolve_CoaddPsf_IsPsfKind()
    {
        Assert.Equal("psf", RunOutputs.Resolve(Reducers.For(ReduceOperation.CoaddPsf), new FileInfo("/d/p.fits"), null, null).Kind);
    }

    [Fact]
    public void Resolve_ExplicitMetadata_IsUsed()
    {
        Assert.Equal("/m/meta.json", RunOutputs.Resolve(Reducers.For(ReduceOperation.Sum), new FileInfo("/d/o.fits"), null, new FileInfo("/m/meta.json")).Metadata.FullName);
    }

    [Theory]
    [InlineData("none", "/d/o.fits", null, "--results")]
    [InlineData("none", "/d/o.fits", "/d/r.json", "-o/--output is not used")]
    [InlineData("copy", null, null, "-o/--output is required with reducer.reduceOperation=copy")]
    [InlineData("average", "/d/o.fits", "/d/r.json", "--results is only used")]
    public void Resolve_OutputsThatDoNotFit_ThrowUsage(string opName, string? output, string? results, string message)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        var e = Assert.Throws<UsageException>(() => RunOutputs.Resolve(Reducers.For(op), output is null ? null : new FileInfo(output), results is null ? null : new FileInfo(results), null));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Resolve_MetadataSameAsOutput_ThrowsUsage()
    {
        Assert.Throws<UsageException>(() => RunOutputs.Resolve(Reducers.For(ReduceOperation.Average), new FileInfo("/d/o.fits"), null, new FileInfo("/d/o.fits")));
    }
}
