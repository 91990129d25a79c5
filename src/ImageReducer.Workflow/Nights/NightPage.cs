namespace ImageReducer.Workflow.Nights;

/// <summary>List one page of a night and write its batch manifests (the <c>ListNightPage</c> activity).</summary>
/// <param name="Night">The night (its instance id set).</param>
/// <param name="Page">The page's number (0 = first: the night's earlier intermediates are removed first).</param>
/// <param name="Continuation">Where the page starts (null for the first).</param>
/// <param name="FirstBatch">Number of the first batch this page's manifests get.</param>
public sealed record NightPageRequest(NightRequest Night, int Page, string? Continuation, int FirstBatch);

/// <summary>What a listing page gave.</summary>
/// <param name="Listed">Blobs listed (any name).</param>
/// <param name="Exposures">Exposures (<c>.fits</c>/<c>.fit</c>) among them, now in manifests.</param>
/// <param name="Batches">Manifests written (numbered from the request's first batch).</param>
/// <param name="Continuation">Where the next page starts; null when this was the last.</param>
public sealed record NightPage(int Listed, int Exposures, int Batches, string? Continuation);
