namespace ImageReducer.Workflow.Storage;

/// <summary>One page of a listing (<see cref="IBlobStore.ListPageAsync"/>).</summary>
/// <param name="Blobs">The page's blobs, in ordinal order of name; possibly fewer than asked, even none, before the end.</param>
/// <param name="Continuation">
/// Where the next page starts (an opaque token: pass it back unchanged), or null when this page is the last.
/// </param>
public sealed record BlobListPage(IReadOnlyList<BlobInfo> Blobs, string? Continuation)
{
    /// <summary>Most blobs one page may ask for (Azure Blob Storage's own limit).</summary>
    public const int MaxPageSize = 5000;

    /// <summary>True when no page follows.</summary>
    public bool IsLast => Continuation is null;
}
