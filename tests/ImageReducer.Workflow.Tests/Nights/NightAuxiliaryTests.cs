using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Nights;

/// <summary>The rules of a night's per-exposure auxiliary patterns (<see cref="NightAuxiliary"/>).</summary>
public sealed class NightAuxiliaryTests
{
    private static NightRequest Night(string prefix, params (string Name, string Pattern)[] patterns) =>
        new NightRequest("raw", prefix, "reduced", prefix, ConfigJson.Deserialize("{}"), 64) { Auxiliary = patterns.ToDictionary(p => p.Name, p => p.Pattern) }.Validate();

    [Theory]
    [InlineData("templates/{name}", "templates/visit-7/ccd03.fits")]
    [InlineData("templates/{dir}{stem}.template.fits", "templates/visit-7/ccd03.template.fits")]
    [InlineData("az://templates/t-{file}", "templates/t-ccd03.fits")]
    [InlineData("kernels/night.fits", "kernels/night.fits")] // no placeholder: one blob for every exposure
    [InlineData("templates/{stem}/{stem}.fits", "templates/ccd03/ccd03.fits")]
    public void Resolve_FillsThePlaceholdersFromTheNameRelativeToThePrefix(string pattern, string expected)
    {
        NightRequest night = Night("2026-11-24/", ("template", pattern));

        var resolved = NightAuxiliary.Resolve(night, new BlobPath("raw", "2026-11-24/visit-7/ccd03.fits"));

        Assert.Equal(BlobPath.Parse(expected), resolved!["template"]);
    }

    [Fact]
    public void Resolve_AtTheTopOfTheNight_DirIsEmptyAndStemDropsAnyFitsCase()
    {
        NightRequest night = Night("n/", ("template", "tpl/{dir}{stem}.fits"));

        Assert.Equal(new BlobPath("tpl", "e.fits"), NightAuxiliary.Resolve(night, new BlobPath("raw", "n/e.FIT"))!["template"]);
    }

    [Fact]
    public void Resolve_NightWithoutPatterns_IsNull() =>
        Assert.Null(NightAuxiliary.Resolve(new NightRequest("raw", "n/", "out", "n/", ConfigJson.Deserialize("{}"), 64), new BlobPath("raw", "n/e.fits")));

    [Theory]
    [InlineData("templates/{stemm}.fits", "unknown placeholder '{stemm}'")]
    [InlineData("templates/{stem.fits", "unknown placeholder '{stem.fits'")]
    [InlineData("templates/stem}.fits", "'}' without its '{'")]
    [InlineData("{dir}/t.fits", "the container must be literal")]
    [InlineData("templates", "container/name")]
    [InlineData("Bad_Container/{name}", "Bad_Container")]
    [InlineData("  ", "empty")]
    public void Validate_BadPattern_NamesTheFieldAndWhy(string pattern, string why)
    {
        var e = Assert.Throws<AuxiliaryPatternException>(() => NightAuxiliary.Validate(new Dictionary<string, string> { ["template"] = pattern }));

        Assert.Equal("auxiliary.template", e.Field);
        Assert.Contains(why, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NormalisesTheSchemeAway_AndTheNightIdDependsOnThePatterns()
    {
        NightRequest a = Night("n/", ("template", "az://templates/{name}"));
        NightRequest b = Night("n/", ("template", "templates/{name}"));
        NightRequest c = Night("n/", ("template", "templates/{stem}.fits"));

        Assert.Equal("templates/{name}", a.Auxiliary!["template"]);
        Assert.Equal(ReductionNames.NightInstanceId(a), ReductionNames.NightInstanceId(b));
        Assert.NotEqual(ReductionNames.NightInstanceId(b), ReductionNames.NightInstanceId(c));
        Assert.NotEqual(ReductionNames.NightInstanceId(b), ReductionNames.NightInstanceId(new NightRequest("raw", "n/", "reduced", "n/", ConfigJson.Deserialize("{}"), 64)));
    }
}
