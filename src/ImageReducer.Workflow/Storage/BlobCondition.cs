namespace ImageReducer.Workflow.Storage;

/// <summary>
/// When a conditional write (<see cref="IBlobStore.WriteAsync(BlobPath, Stream, BlobCondition, CancellationToken)"/>,
/// <see cref="IBlobStore.CommitBlocksAsync(BlobPath, IReadOnlyList{string}, BlobCondition, CancellationToken)"/>) may
/// publish: always, only if the blob does not exist, or only if it is still the version with a given ETag. The check
/// and the publication are one atomic step (Azure's If-Match / If-None-Match; a per-blob lock in the local store), so
/// of concurrent writers that saw the same version exactly one succeeds.
/// </summary>
public sealed record BlobCondition
{
    private BlobCondition(string? eTag, bool mustBeAbsent) => (ETag, MustBeAbsent) = (eTag, mustBeAbsent);

    /// <summary>Publish whatever is there (an unconditional overwrite).</summary>
    public static BlobCondition None { get; } = new(null, false);

    /// <summary>Publish only if no blob exists (If-None-Match: *); otherwise <see cref="BlobAlreadyExistsException"/>.</summary>
    public static BlobCondition IfAbsent { get; } = new(null, true);

    /// <summary>The ETag the blob must still have, or null.</summary>
    public string? ETag { get; }

    /// <summary>True when the blob must not exist.</summary>
    public bool MustBeAbsent { get; }

    /// <summary>Publish only if the blob still has <paramref name="eTag"/> (If-Match); otherwise <see cref="BlobChangedException"/>.</summary>
    public static BlobCondition IfMatch(string eTag)
    {
        ArgumentException.ThrowIfNullOrEmpty(eTag);
        return new(eTag, false);
    }

    /// <summary>
    /// Publish only if the blob is still the version seen earlier: <see cref="IfMatch"/> its ETag, or
    /// <see cref="IfAbsent"/> when there was none (<paramref name="eTag"/> null).
    /// </summary>
    public static BlobCondition IfUnchanged(string? eTag) => eTag is null ? IfAbsent : IfMatch(eTag);

    /// <summary>
    /// Whether a blob whose current ETag is <paramref name="currentETag"/> (null: no blob) allows the write; throws the
    /// store's exception when it does not (for stores that check the condition themselves).
    /// </summary>
    /// <exception cref="BlobAlreadyExistsException">The blob must be absent and exists.</exception>
    /// <exception cref="BlobChangedException">The blob no longer has <see cref="ETag"/> (or is gone).</exception>
    public void Check(BlobPath path, string? currentETag)
    {
        if (MustBeAbsent && currentETag is not null) throw new BlobAlreadyExistsException(path);
        if (ETag is not null && currentETag != ETag) throw new BlobChangedException(path, ETag, currentETag);
    }

    /// <inheritdoc />
    public override string ToString() => MustBeAbsent ? "if absent" : ETag is null ? "unconditional" : $"if ETag {ETag}";
}
