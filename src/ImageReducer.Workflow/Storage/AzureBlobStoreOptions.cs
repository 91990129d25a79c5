using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace ImageReducer.Workflow.Storage;

/// <summary>Tuning of an <see cref="AzureBlobStore"/>: transfer sizes and the retry policy.</summary>
/// <remarks>
/// The defaults retry a failed request 5 times with exponential back-off from 0.5 s up to 8 s
/// (about 15 s in all), which rides out a storage throttle or a restarted emulator without making a
/// dead endpoint take minutes to report.
/// </remarks>
public sealed record AzureBlobStoreOptions
{
    /// <summary>Bytes fetched per range request by <see cref="IBlobStore.OpenReadAsync"/> streams (default 1 MiB).</summary>
    public int ReadBufferSize { get; init; } = 1024 * 1024;

    /// <summary>Largest request body of an upload; larger uploads are split into blocks (default 8 MiB).</summary>
    public int TransferSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Parallel requests per upload (default 4).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>
    /// Send an MD5 of every upload request's body (default true): the service verifies it, so a block
    /// corrupted on the way fails instead of being committed. Costs one MD5 pass on this side
    /// (~0.5–1 GB/s a core); on Azurite it is also the fast path, since without it Azurite hashes
    /// every block with a CRC64 written in JavaScript (~40–100 MB/s).
    /// </summary>
    public bool ContentMd5 { get; init; } = true;

    /// <summary>Retries of a failed request (default 5).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Delay before the first retry; doubled each time (default 0.5 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between retries (default 8 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Timeout of one request attempt (default 100 s).</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Last word on the SDK options, run after the settings above are applied: add pipeline policies
    /// (diagnostics, request counting in tests) or change what this record does not cover.
    /// </summary>
    public Action<BlobClientOptions>? ConfigureClient { get; init; }

    /// <summary>The SDK client options these settings stand for.</summary>
    public BlobClientOptions ToClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = RetryDelay;
        options.Retry.MaxDelay = MaxRetryDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
        if (ContentMd5)
        {
            options.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.MD5;
        }

        ConfigureClient?.Invoke(options);
        return options;
    }

    internal StorageTransferOptions ToTransferOptions() => new()
    {
        InitialTransferSize = TransferSize,
        MaximumTransferSize = TransferSize,
        MaximumConcurrency = MaxConcurrency,
    };
}
