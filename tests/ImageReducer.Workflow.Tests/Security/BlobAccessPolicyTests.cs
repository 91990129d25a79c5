using ImageReducer.Workflow.Security;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Security;

/// <summary>
/// Each rule of <see cref="BlobAccessPolicy"/>: one refusal case (or several spellings of it) with the
/// words that name the rule, and the accepted neighbours, so a rule that refuses too much fails too.
/// </summary>
public sealed class BlobAccessPolicyTests
{
    private static readonly Uri Account = new("https://mydata.blob.core.windows.net/");
    private static readonly Uri Azurite = new("http://127.0.0.1:10000/devstoreaccount1");

    private static readonly BlobAccessPolicy Policy = new(
        new ImageReducerOptions { InputContainers = "archive, raw-2026", OutputContainers = "reprocessed" }, Account);

    private static string Refusal(Func<object> act) => Assert.Throws<BlobAccessRefusedException>(act).Message;

    [Theory]
    [InlineData("incoming/night/a.fits", "incoming", "night/a.fits")]
    [InlineData("az://incoming/a.fits", "incoming", "a.fits")]
    [InlineData("archive/a.fits", "archive", "a.fits")]
    [InlineData("raw-2026/x/y/z.fits", "raw-2026", "x/y/z.fits")]
    [InlineData("https://mydata.blob.core.windows.net/incoming/night/a.fits", "incoming", "night/a.fits")]
    [InlineData("https://MYDATA.blob.core.windows.net/incoming/a%20b.fits", "incoming", "a b.fits")]
    [InlineData("incoming/a%20b.fits", "incoming", "a%20b.fits")] // decodes to a valid name: kept as written
    public void Input_AllowedAddress_IsAccepted(string text, string container, string name)
    {
        Assert.Equal(new BlobPath(container, name), Policy.Input(text));
    }

    [Theory]
    [InlineData("outputs/a.fits")]
    [InlineData("quarantine/a.fits")]
    [InlineData("secrets/a.fits")]
    [InlineData("az://otheraccount/incoming/a.fits")] // az:// names a container of the data account: 'otheraccount' is none of ours
    public void Input_ContainerOutsideTheAllowList_IsRefused(string text)
    {
        Assert.Contains("is not an allowed input container", Refusal(() => Policy.Input(text)));
    }

    [Theory]
    [InlineData("incoming/a.fits")]
    [InlineData("archive/a.fits")]
    [InlineData("quarantine/a.fits")]
    public void Output_ContainerOutsideTheAllowList_IsRefused(string text)
    {
        Assert.Contains("is not an allowed output container", Refusal(() => Policy.Output(text)));
    }

    [Theory]
    [InlineData("outputs/a.fits")]
    [InlineData("reprocessed/night/a.fits")]
    public void Output_AllowedContainer_IsAccepted(string text)
    {
        Assert.Equal(BlobPath.Parse(text), Policy.Output(text));
    }

    [Theory]
    [InlineData("incoming/../outputs/a.fits")]
    [InlineData("incoming/night/../../a.fits")]
    public void Input_DotDotSegment_IsRefused(string text)
    {
        Assert.Contains("'..' segment", Refusal(() => Policy.Input(text)));
    }

    [Theory]
    [InlineData("incoming/./a.fits")]
    [InlineData("incoming/a//b.fits")]
    public void Input_DotOrEmptySegment_IsRefused(string text)
    {
        Assert.Contains("empty, '.' or '..' segment", Refusal(() => Policy.Input(text)));
    }

    [Fact]
    public void Input_Backslash_IsRefused()
    {
        Assert.Contains("backslash", Refusal(() => Policy.Input(@"incoming/night\..\a.fits")));
    }

    [Theory]
    [InlineData("incoming/a\u0000.fits")]
    [InlineData("incoming/a\n.fits")]
    [InlineData("incoming/a\u007f.fits")]
    public void Input_ControlCharacter_IsRefused(string text)
    {
        Assert.Contains("control character", Refusal(() => Policy.Input(text)));
    }

    [Theory]
    [InlineData("incoming/%2e%2e/outputs/a.fits")]
    [InlineData("incoming/%2E%2E/a.fits")]
    [InlineData("incoming/night%2F..%2F..%2Fa.fits")]
    [InlineData("incoming/a%5C..%5Cb.fits")]
    [InlineData("incoming/a%00.fits")]
    [InlineData("https://mydata.blob.core.windows.net/incoming/%252e%252e%252fsecret.fits")] // encoded twice: the URL decodes once, the rule once more
    public void Input_PercentEncodedTraversal_IsRefused(string text)
    {
        Assert.Contains("is percent-encoded into", Refusal(() => Policy.Input(text)));
    }

    [Theory]
    [InlineData("incoming/")]
    [InlineData("incoming")]
    [InlineData("/a.fits")]
    public void Input_EmptyNameOrContainer_IsRefused(string text)
    {
        Assert.Contains("must have the form 'container/name'", Refusal(() => Policy.Input(text)));
    }

    [Fact]
    public void Input_NameOf1025Characters_IsRefusedAnd1024Accepted()
    {
        Assert.Equal(1024, Policy.Input("incoming/" + new string('a', 1024)).Name.Length);
        Assert.Contains("1 to 1024", Refusal(() => Policy.Input("incoming/" + new string('a', 1025))));
    }

    [Fact]
    public void Input_TextLongerThanAnyAddress_IsRefusedBeforeParsing()
    {
        string message = Refusal(() => Policy.Input("incoming/" + new string('a', 100_000)));

        Assert.Contains($"at most {BlobAccessPolicy.MaxAddressLength}", message);
        Assert.True(message.Length < 300, "the refused text is not echoed whole");
    }

    [Theory]
    [InlineData("ab/a.fits", "3 to 63")]
    [InlineData("Incoming/a.fits", "lowercase")]
    [InlineData("in_coming/a.fits", "lowercase")]
    [InlineData("-incoming/a.fits", "hyphen")]
    public void Input_InvalidContainerName_IsRefused(string text, string rule)
    {
        Assert.Contains(rule, Refusal(() => Policy.Input(text)));
    }

    [Fact]
    public void Input_ContainerOf64Characters_IsRefused()
    {
        Assert.Contains("3 to 63", Refusal(() => Policy.Input(new string('c', 64) + "/a.fits")));
    }

    [Theory]
    [InlineData("https://other.blob.core.windows.net/incoming/a.fits")]
    [InlineData("https://mydata.blob.core.windows.net.evil.example/incoming/a.fits")]
    [InlineData("https://mydata.blob.core.windows.net:444/incoming/a.fits")]
    [InlineData("http://mydata.blob.core.windows.net/incoming/a.fits")] // same host, plain http
    public void Input_UrlOfAnotherAccountOrHost_IsRefused(string text)
    {
        Assert.Contains("belongs to another storage account or host", Refusal(() => Policy.Input(text)));
    }

    [Theory]
    [InlineData("https://mydata.blob.core.windows.net/incoming/a.fits?sv=2024-01-01&sig=abc")]
    [InlineData("https://user:pw@mydata.blob.core.windows.net/incoming/a.fits")]
    [InlineData("https://mydata.blob.core.windows.net/incoming/a.fits#frag")]
    public void Input_UrlWithSasUserInfoOrFragment_IsRefused(string text)
    {
        string message = Refusal(() => Policy.Input(text));

        Assert.Contains("user information, a query (SAS) or a fragment", message);
        Assert.DoesNotContain("sig=", message);
        Assert.DoesNotContain("pw@", message);
    }

    [Theory]
    [InlineData("ftp://mydata.blob.core.windows.net/incoming/a.fits")]
    [InlineData("file:///etc/passwd")]
    [InlineData("az://other.blob.core.windows.net/incoming/a.fits")] // a host where az:// wants a container
    public void Input_OtherSchemeOrAccountInAz_IsRefused(string text)
    {
        Refusal(() => Policy.Input(text));
    }

    [Fact]
    public void Input_UrlWithoutAKnownAccount_IsRefused()
    {
        var local = new BlobAccessPolicy(new ImageReducerOptions(), accountUrl: null);

        Assert.Contains("has no account URL", Refusal(() => local.Input("https://mydata.blob.core.windows.net/incoming/a.fits")));
        Assert.Equal(new BlobPath("incoming", "a.fits"), local.Input("incoming/a.fits"));
    }

    [Theory]
    [InlineData("outputs/.starts/exposure-0123")]
    [InlineData("outputs/night/.hidden.fits")]
    public void Output_DotSegmentReservedForMarkers_IsRefused(string text)
    {
        Assert.Contains("reserved for the app's own blobs", Refusal(() => Policy.Output(text)));
    }

    [Fact]
    public void Output_IntermediatesOfARun_IsRefused()
    {
        Assert.Contains("reserved for a run's intermediates", Refusal(() => Policy.Output("outputs/a.fits.work/run/plan.json")));
    }

    [Fact]
    public void EventBlob_AzuriteUrlOfTheDataAccount_IsAccepted()
    {
        var azurite = new BlobAccessPolicy(new ImageReducerOptions(), Azurite);

        Assert.Equal(new BlobPath("incoming", "night/a b.fits"), azurite.EventBlob(new Uri("http://127.0.0.1:10000/devstoreaccount1/incoming/night/a%20b.fits")));
    }

    [Theory]
    [InlineData("http://127.0.0.1:10000/devstoreaccount2/incoming/a.fits", "another storage account")]
    [InlineData("http://127.0.0.1:10001/devstoreaccount1/incoming/a.fits", "another storage account")]
    [InlineData("http://localhost:10000/devstoreaccount1/incoming/a.fits", "another storage account")]
    [InlineData("https://other.blob.core.windows.net/incoming/a.fits", "another storage account")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/outputs/a.fits", "not an allowed input container")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/incoming/a%2F..%2F..%2Foutputs%2Fb.fits", "'..' segment")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/incoming/", "no 'container/name' part")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/incoming/a.fits?sig=abc", "query (SAS)")]
    public void EventBlob_RefusedUrl_NamesTheRule(string url, string rule)
    {
        var azurite = new BlobAccessPolicy(new ImageReducerOptions(), Azurite);

        Assert.Contains(rule, Refusal(() => azurite.EventBlob(new Uri(url))));
    }

    [Fact]
    public void EventBlob_RelativeUrl_IsRefused()
    {
        Assert.Contains("not absolute", Refusal(() => Policy.EventBlob(new Uri("incoming/a.fits", UriKind.Relative))));
    }

    [Theory]
    [InlineData("2026-11-24/", false)]
    [InlineData("2026-11-24/visit-", false)]
    [InlineData("", true)]
    [InlineData("nights/2026-11-24/", true)]
    public void Prefix_Valid_IsAccepted(string prefix, bool output)
    {
        Assert.Equal(prefix, Policy.Prefix(prefix, output));
    }

    [Theory]
    [InlineData("../2026/", false, "'..' segment")]
    [InlineData("2026/./", false, "'..' segment")]
    [InlineData("/2026/", false, "starts with '/'")]
    [InlineData("2026\\", false, "backslash")]
    [InlineData("%2e%2e/", false, "percent-encoded")]
    [InlineData(".starts/", true, "reserved for the app's own blobs")]
    [InlineData("a.fits.work/", true, "reserved for a run's intermediates")]
    public void Prefix_Refused_NamesTheRule(string prefix, bool output, string rule)
    {
        Assert.Contains(rule, Refusal(() => Policy.Prefix(prefix, output)));
    }

    [Fact]
    public void Prefix_LongerThanABlobName_IsRefused()
    {
        Assert.Contains("at most 1024", Refusal(() => Policy.Prefix(new string('p', 1025), output: false)));
    }

    [Theory]
    [InlineData("incoming", true)]
    [InlineData("archive", true)]
    [InlineData("outputs", false)]
    [InlineData("reprocessed", false)]
    public void Containers_AllowedForTheirRole_AreAccepted(string container, bool input)
    {
        Assert.Equal(container, input ? Policy.InputContainer(container) : Policy.OutputContainer(container));
    }

    [Theory]
    [InlineData("outputs", true)]
    [InlineData("incoming", false)]
    [InlineData("other", true)]
    [InlineData("UPPER", true)]
    public void Containers_NotAllowedForTheirRole_AreRefused(string container, bool input)
    {
        Refusal(() => input ? Policy.InputContainer(container) : Policy.OutputContainer(container));
    }
}
