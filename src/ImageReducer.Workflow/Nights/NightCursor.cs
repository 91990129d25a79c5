namespace ImageReducer.Workflow.Nights;

/// <summary>Where a night's loop stands between two executions (<c>ContinueAsNew</c>): the listing so far.</summary>
/// <param name="Started">When the night's first execution started (UTC, orchestration time).</param>
/// <param name="Pages">Listing pages done.</param>
/// <param name="Continuation">Where the next listing page starts; null when <paramref name="Listed"/> is final.</param>
/// <param name="Listed">True once the last page is done.</param>
/// <param name="Batches">Batches (manifests) written so far.</param>
/// <param name="Exposures">Exposures in those manifests.</param>
public sealed record NightCursor(DateTime Started, int Pages, string? Continuation, bool Listed, int Batches, int Exposures);
