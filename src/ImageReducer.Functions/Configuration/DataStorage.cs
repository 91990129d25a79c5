using Azure.Identity;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Configuration;

namespace ImageReducer.Functions.Configuration;

/// <summary>
/// The <c>DataStorage</c> connection (inputs, outputs, quarantine): a connection string
/// (<c>DataStorage</c>, e.g. <c>UseDevelopmentStorage=true</c>) or, with managed identity, the
/// account URL in <c>DataStorage__blobServiceUri</c> — the same setting the blob trigger uses.
/// </summary>
public static class DataStorage
{
    /// <summary>The connection's name (blob trigger <c>Connection</c>).</summary>
    public const string ConnectionName = "DataStorage";

    /// <summary>The one store of the process (the SDK's clients are meant to be shared).</summary>
    /// <exception cref="InvalidOperationException">Neither setting is present.</exception>
    public static IBlobStore CreateStore(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? connectionString = configuration[ConnectionName];
        if (!string.IsNullOrWhiteSpace(connectionString)) return BlobStoreFactory.Create(connectionString);
        string? uri = configuration[$"{ConnectionName}:blobServiceUri"];
        if (!string.IsNullOrWhiteSpace(uri))
        {
            string? clientId = configuration[$"{ConnectionName}:clientId"];
            var credential = string.IsNullOrWhiteSpace(clientId) ? new DefaultAzureCredential() : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
            return new AzureBlobStore(new Uri(uri), credential);
        }
        throw new InvalidOperationException(
            $"No data storage configured: set '{ConnectionName}' to a connection string (UseDevelopmentStorage=true for Azurite) or '{ConnectionName}__blobServiceUri' to the account's blob endpoint.");
    }
}
