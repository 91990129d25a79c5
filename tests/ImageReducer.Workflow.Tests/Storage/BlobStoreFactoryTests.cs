using Azure.Core;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Storage;

public sealed class BlobStoreFactoryTests
{
    [Fact]
    public void Create_DevelopmentStorage_GivesAzureStoreOnAzuriteDefaultEndpoint()
    {
        var store = Assert.IsType<AzureBlobStore>(BlobStoreFactory.Create("UseDevelopmentStorage=true"));
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", store.AccountUrl.AbsoluteUri.TrimEnd('/'));
    }

    [Fact]
    public void Create_ConnectionString_GivesAzureStoreOnItsEndpoint()
    {
        const string connection = "DefaultEndpointsProtocol=https;AccountName=survey;AccountKey=" +
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net";
        var store = Assert.IsType<AzureBlobStore>(BlobStoreFactory.Create(connection));
        Assert.Equal("https://survey.blob.core.windows.net/", store.AccountUrl.AbsoluteUri);
    }

    [Fact]
    public void Create_AccountUrl_GivesAzureStoreWithGivenCredential()
    {
        // Constructing a client does not call the credential; no network is touched here.
        var store = Assert.IsType<AzureBlobStore>(
            BlobStoreFactory.Create("https://survey.blob.core.windows.net", new UnusedCredential()));
        Assert.Equal("https://survey.blob.core.windows.net/", store.AccountUrl.AbsoluteUri);
    }

    [Fact]
    public void Create_AccountUrlWithContainerPath_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => BlobStoreFactory.Create("https://survey.blob.core.windows.net/raw"));
        Assert.Contains("account URL", e.Message);
    }

    [Fact]
    public void Create_FolderPath_GivesLocalStoreRootedThere()
    {
        string folder = Path.Combine(Path.GetTempPath(), "imred-factory-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = Assert.IsType<LocalFolderBlobStore>(BlobStoreFactory.Create(folder));
            Assert.Equal(folder, store.Root);
            Assert.True(Directory.Exists(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Create_FileUri_GivesLocalStore()
    {
        string folder = Path.Combine(Path.GetTempPath(), "imred-factory-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = Assert.IsType<LocalFolderBlobStore>(BlobStoreFactory.Create(new Uri(folder).AbsoluteUri));
            Assert.Equal(folder, store.Root);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Create_Blank_Refused() => Assert.Throws<ArgumentException>(() => BlobStoreFactory.Create("  "));

    private sealed class UnusedCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The test must not request a token.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The test must not request a token.");
    }
}
