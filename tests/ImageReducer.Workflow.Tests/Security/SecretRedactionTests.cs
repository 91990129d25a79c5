using ImageReducer.Workflow.Security;

namespace ImageReducer.Workflow.Tests.Security;

public sealed class SecretRedactionTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Key + ";EndpointSuffix=core.windows.net")]
    [InlineData("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2024-01-01&ss=b&sig=abc%2Bdef")]
    [InlineData("failed: https://acct.blob.core.windows.net/c/x.fits?sv=2024-01-01&se=2026&sr=b&sp=r&sig=abc%2Bdef%3D then gave up")]
    [InlineData("query only: sv=2024-01-01&sig=abcdef")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=abc=")]
    [InlineData("https://user:secretpw@acct.blob.core.windows.net/c/x")]
    public void Redact_Credentials_AreRemovedAndTheRestKept(string text)
    {
        string redacted = SecretRedaction.Redact(text)!;

        Assert.DoesNotContain(Key, redacted);
        Assert.DoesNotContain("AccountKey", redacted);
        Assert.DoesNotContain("SharedAccess", redacted);
        Assert.DoesNotContain("sig=", redacted);
        Assert.DoesNotContain("secretpw", redacted);
        Assert.Contains(SecretRedaction.Placeholder, redacted);
    }

    [Fact]
    public void Redact_UrlWithSas_KeepsTheBlobAddress()
    {
        Assert.Equal("read https://acct.blob.core.windows.net/c/x.fits?[redacted] failed",
            SecretRedaction.Redact("read https://acct.blob.core.windows.net/c/x.fits?sv=1&sig=abc failed"));
    }

    [Theory]
    [InlineData("FitsException: incoming/a.fits: NAXIS1 missing in HDU 1")]
    [InlineData("tile 3: ReductionException: design=signature of nothing")]
    [InlineData("")]
    public void Redact_TextWithoutCredentials_IsUnchanged(string text)
    {
        Assert.Equal(text, SecretRedaction.Redact(text));
    }
}
