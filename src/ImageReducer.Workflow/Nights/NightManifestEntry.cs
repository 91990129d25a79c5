namespace ImageReducer.Workflow.Nights;

/// <summary>One exposure of a batch manifest (one line of <c>batch-NNNNNN.manifest.jsonl</c>): the blob as listed.</summary>
/// <param name="Name">The input blob's name (in the night's container).</param>
/// <param name="ETag">The version listed.</param>
/// <param name="Size">Its length in bytes.</param>
public sealed record NightManifestEntry(string Name, string ETag, long Size);
