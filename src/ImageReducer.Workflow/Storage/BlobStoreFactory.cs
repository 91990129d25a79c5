using Azure.Core;

namespace ImageReducer.Workflow.Storage;

/// <summary>Builds an <see cref="IBlobStore"/> from the one string a user or a setting gives.</summary>
public static class BlobStoreFactory
{
    /// <summary>
    /// Returns the store that <paramref name="location"/> names:
    /// <list type="bullet">
    /// <item>a connection string (<c>UseDevelopmentStorage=true</c>, or one with <c>AccountName=</c>,
    /// <c>BlobEndpoint=</c>, <c>DefaultEndpointsProtocol=</c> or <c>SharedAccessSignature=</c>) → <see cref="AzureBlobStore"/>;</item>
    /// <item>an <c>https://</c> (or <c>http://</c>) account URL → <see cref="AzureBlobStore"/> authenticated by
    /// <paramref name="credential"/>, or DefaultAzureCredential when null;</item>
    /// <item>a <c>file://</c> URI or any other text → <see cref="LocalFolderBlobStore"/> on that folder
    /// (relative paths resolve against the current directory).</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">The location is empty, or an account URL has a path, query or fragment.</exception>
    public static IBlobStore Create(string location, TokenCredential? credential = null, AzureBlobStoreOptions? azureOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        string text = location.Trim();
        if (IsConnectionString(text))
        {
            return new AzureBlobStore(text, azureOptions);
        }

        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? accountUrl) ||
                accountUrl.AbsolutePath.Trim('/').Length != 0 || accountUrl.Query.Length != 0 || accountUrl.Fragment.Length != 0)
            {
                throw new ArgumentException(
                    $"Storage location '{location}' is not an account URL such as 'https://account.blob.core.windows.net' " +
                    "(no container, path or query; use a connection string for SAS or emulator endpoints).",
                    nameof(location));
            }

            return new AzureBlobStore(accountUrl, credential, azureOptions);
        }

        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return new LocalFolderBlobStore(new Uri(text).LocalPath);
        }

        return new LocalFolderBlobStore(text);
    }

    private static bool IsConnectionString(string text)
    {
        if (text.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (string key in (string[])["AccountName=", "BlobEndpoint=", "DefaultEndpointsProtocol=", "SharedAccessSignature="])
        {
            if (text.StartsWith(key, StringComparison.OrdinalIgnoreCase) || (text.Contains(';') && text.Contains(key, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
