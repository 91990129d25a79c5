using System.Text.Json;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Storage;

public sealed class BlobPathTests
{
    [Fact]
    public void Parse_ContainerSlashName_SplitsAtFirstSlash()
    {
        BlobPath path = BlobPath.Parse("raw/night-1/visit 7/ccd-042.fits");
        Assert.Equal("raw", path.Container);
        Assert.Equal("night-1/visit 7/ccd-042.fits", path.Name);
    }

    [Fact]
    public void Parse_AzScheme_SameAsPlainForm()
    {
        Assert.Equal(BlobPath.Parse("raw/a/b.fits"), BlobPath.Parse("az://raw/a/b.fits"));
    }

    [Fact]
    public void ToString_ParsesBackToEqualPath()
    {
        var path = new BlobPath("out-2", "n/v/e.fits");
        Assert.Equal("out-2/n/v/e.fits", path.ToString());
        Assert.Equal(path, BlobPath.Parse(path.ToString()));
    }

    [Fact]
    public void Json_RoundTrip_KeepsContainerAndName()
    {
        var path = new BlobPath("jobs", "j1/tile-0007.fits");
        string json = JsonSerializer.Serialize(path, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal("""{"container":"jobs","name":"j1/tile-0007.fits"}""", json);
        Assert.Equal(path, JsonSerializer.Deserialize<BlobPath>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    [Fact]
    public void Json_InvalidName_IsRefusedOnDeserialise()
    {
        Assert.Throws<ArgumentException>(
            () => JsonSerializer.Deserialize<BlobPath>("""{"container":"jobs","name":"../etc/passwd"}""", new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    [Fact]
    public void Append_AddsSegment()
    {
        Assert.Equal(new BlobPath("jobs", "j1/tiles/t7"), new BlobPath("jobs", "j1/tiles").Append("t7"));
    }

    [Fact]
    public void Name_1024Characters_Accepted()
    {
        Assert.Equal(1024, new BlobPath("jobs", new string('a', 1024)).Name.Length);
    }

    [Fact]
    public void Name_1025Characters_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new BlobPath("jobs", new string('a', 1025)));
        Assert.Contains("1025", e.Message);
    }

    [Fact]
    public void Name_Empty_Refused() => Assert.Throws<ArgumentException>(() => new BlobPath("jobs", ""));

    [Fact]
    public void Name_DotDotSegment_Refused() => Assert.Throws<ArgumentException>(() => new BlobPath("jobs", "a/../../secret"));

    [Fact]
    public void Name_LeadingDotDot_Refused() => Assert.Throws<ArgumentException>(() => new BlobPath("jobs", "../b"));

    [Fact]
    public void Name_DotSegment_Refused() => Assert.Throws<ArgumentException>(() => new BlobPath("jobs", "a/./b"));

    [Fact]
    public void Name_EmptySegment_Refused() => Assert.Throws<ArgumentException>(() => new BlobPath("jobs", "a//b"));

    [Fact]
    public void Name_TrailingSlash_Refused() => Assert.Throws<ArgumentException>(() => new BlobPath("jobs", "a/b/"));

    [Fact]
    public void Name_TrailingDot_Refused() => Assert.Throws<ArgumentException>(() => new BlobPath("jobs", "a/b."));

    [Fact]
    public void Name_LeadingSlash_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new BlobPath("jobs", "/etc/passwd"));
        Assert.Contains("starts with '/'", e.Message);
    }

    [Fact]
    public void Name_Backslash_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new BlobPath("jobs", @"a\..\b"));
        Assert.Contains("backslash", e.Message);
    }

    [Fact]
    public void Name_ControlCharacter_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new BlobPath("jobs", "a\nb"));
        Assert.Contains("U+000A", e.Message);
    }

    [Fact]
    public void Name_DotsInsideSegments_Accepted()
    {
        Assert.Equal("a..b/..c/d...e", new BlobPath("jobs", "a..b/..c/d...e").Name);
    }

    [Theory]
    [InlineData("ab")]                // too short
    [InlineData("Jobs")]              // uppercase
    [InlineData("job_s")]             // underscore
    [InlineData("-jobs")]             // leading hyphen
    [InlineData("jobs-")]             // trailing hyphen
    [InlineData("jo--bs")]            // consecutive hyphens
    [InlineData("jobs/x")]            // slash
    [InlineData("$root")]             // special container
    public void Container_BreakingRules_Refused(string container)
    {
        Assert.Throws<ArgumentException>(() => new BlobPath(container, "a.fits"));
    }

    [Fact]
    public void Container_64Characters_Refused()
    {
        Assert.Throws<ArgumentException>(() => new BlobPath(new string('a', 64), "a.fits"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a-1-b")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890ab")] // 63
    public void Container_FollowingRules_Accepted(string container)
    {
        Assert.Equal(container, new BlobPath(container, "a.fits").Container);
    }

    [Fact]
    public void Parse_HttpsUrl_RefusedWithHintToFromUri()
    {
        var e = Assert.Throws<FormatException>(() => BlobPath.Parse("https://other.blob.core.windows.net/raw/a.fits"));
        Assert.Contains("FromUri", e.Message);
    }

    [Fact]
    public void Parse_NoSlash_Refused() => Assert.Throws<FormatException>(() => BlobPath.Parse("jobs"));

    [Fact]
    public void Parse_NoName_Refused() => Assert.Throws<FormatException>(() => BlobPath.Parse("az://jobs/"));

    [Fact]
    public void TryParse_Invalid_ReturnsFalse()
    {
        Assert.False(BlobPath.TryParse("jobs/../x", out BlobPath? path));
        Assert.Null(path);
        Assert.True(BlobPath.TryParse("jobs/x", out path));
        Assert.Equal("x", path.Name);
    }

    [Fact]
    public void FromUri_HostStyleAccount_ReturnsDecodedPath()
    {
        BlobPath path = BlobPath.FromUri(
            new Uri("https://acct.blob.core.windows.net/raw/night%201/exp.fits"), new Uri("https://acct.blob.core.windows.net"));
        Assert.Equal(new BlobPath("raw", "night 1/exp.fits"), path);
    }

    [Fact]
    public void FromUri_PathStyleAzuriteAccount_ReturnsPath()
    {
        BlobPath path = BlobPath.FromUri(
            new Uri("http://127.0.0.1:10000/devstoreaccount1/raw/a/b.fits"), new Uri("http://127.0.0.1:10000/devstoreaccount1"));
        Assert.Equal(new BlobPath("raw", "a/b.fits"), path);
    }

    [Fact]
    public void FromUri_OtherAccount_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => BlobPath.FromUri(
            new Uri("https://attacker.blob.core.windows.net/raw/a.fits"), new Uri("https://acct.blob.core.windows.net")));
        Assert.Contains("does not belong", e.Message);
    }

    [Fact]
    public void FromUri_OtherPathStyleAccountOnSameHost_Refused()
    {
        Assert.Throws<ArgumentException>(() => BlobPath.FromUri(
            new Uri("http://127.0.0.1:10000/otheraccount/raw/a.fits"), new Uri("http://127.0.0.1:10000/devstoreaccount1")));
    }

    [Fact]
    public void FromUri_EncodedBackslash_Refused()
    {
        Assert.Throws<ArgumentException>(() => BlobPath.FromUri(
            new Uri("https://acct.blob.core.windows.net/raw/a%5C..%5Cb"), new Uri("https://acct.blob.core.windows.net")));
    }

    [Fact]
    public void FromUri_DotDotSegments_ResolvedByUriInsideAccount()
    {
        // System.Uri compacts "a/../b" (also when escaped as %2E%2E) before we see it; the result stays in the account.
        Assert.Equal(new BlobPath("raw", "b"), BlobPath.FromUri(
            new Uri("https://acct.blob.core.windows.net/raw/a/%2E%2E/b"), new Uri("https://acct.blob.core.windows.net")));
    }

    [Fact]
    public void ValidatePrefix_DotDotSegment_Refused() => Assert.Throws<ArgumentException>(() => BlobPath.ValidatePrefix("a/../"));

    [Fact]
    public void ValidatePrefix_PartialLastSegment_Accepted()
    {
        BlobPath.ValidatePrefix("");
        BlobPath.ValidatePrefix("night-1/vis");
        BlobPath.ValidatePrefix("night-1/..");  // a partial segment: matches names like "night-1/..x"
    }
}
