namespace ImageReducer.Workflow.Storage;

/// <summary>What a store knows about a committed blob.</summary>
/// <param name="Path">Where the blob is.</param>
/// <param name="Size">Length of the content in bytes.</param>
/// <param name="ETag">
/// Opaque version tag, without quotes; it changes whenever the content is replaced, so
/// (path, ETag) names one exact version (the workflow derives idempotent ids from it).
/// </param>
/// <param name="LastModified">When the content was last replaced.</param>
public sealed record BlobInfo(BlobPath Path, long Size, string ETag, DateTimeOffset LastModified);
