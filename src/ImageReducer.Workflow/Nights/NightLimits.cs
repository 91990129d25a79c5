namespace ImageReducer.Workflow.Nights;

/// <summary>
/// The budgets that keep a night of any size within what the Durable backend handles well: every orchestration and
/// activity payload small, every orchestration history short. The hierarchy (night → lanes → batches → exposures),
/// the page and chunk sizes and the <c>ContinueAsNew</c> points all follow from these numbers.
/// </summary>
public static class NightLimits
{
    /// <summary>Largest orchestration or activity input/output (serialized JSON, bytes): far below the worker's 4 MiB gRPC
    /// message limit and the storage provider's 45 KB queue-message inline limit, so nothing is offloaded to large-message blobs.</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    /// <summary>Most events one orchestration execution may hold; the night's orchestrations continue as new before reaching it.</summary>
    public const int MaxHistoryEvents = 1000;

    /// <summary>Most exposures in one batch (the bound; a visit of 189 CCDs is one batch).</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>Most blobs one listing page (one <c>ListNightPage</c> activity) asks the store for.</summary>
    public const int ListPageSize = 5000;

    /// <summary>Most exposures one batch keeps in flight. Small enough that the batch's drain before each
    /// <c>ContinueAsNew</c> (every ~200 exposures) idles little; a night reaches its concurrency with more lanes.</summary>
    public const int BatchWindow = 25;

    /// <summary>Most lanes (batches in flight) per night: each lane is one sub-orchestration of the night (4 events).</summary>
    public const int MaxLanes = 200;

    /// <summary>Largest night-wide concurrency: <see cref="MaxLanes"/> × <see cref="BatchWindow"/>.</summary>
    public const int MaxConcurrentExposures = MaxLanes * BatchWindow;

    /// <summary>Largest night configuration (UTF-8 bytes); it rides in every exposure's input.</summary>
    public const int MaxConfigBytes = 8 * 1024;

    /// <summary>Serialized bytes of report entries a batch gathers before writing them (one activity input).</summary>
    public const int ReportPartBytes = 8 * 1024;

    /// <summary>Serialized bytes of manifest entries one <c>ReadNightChunk</c> returns at most.</summary>
    public const int ChunkBytes = 8 * 1024;

    /// <summary>Longest error kept in a report entry (characters); a longer one is cut with a note.</summary>
    public const int MaxErrorChars = Reduction.ErrorText.MaxChars;

    /// <summary>Lanes and per-batch windows for a night-wide bound of <paramref name="maxConcurrent"/> exposures over
    /// <paramref name="batches"/> batches: the windows add up to at most the bound.</summary>
    public static (int Lanes, int[] Windows) Lanes(int maxConcurrent, int batches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(batches);
        if (batches == 0) return (0, []);
        int lanes = Math.Min(Math.Min(MaxLanes, batches), (maxConcurrent + BatchWindow - 1) / BatchWindow);
        var windows = new int[lanes];
        for (int i = 0; i < lanes; i++)
            windows[i] = Math.Max(1, Math.Min(BatchWindow, maxConcurrent / lanes + (i < maxConcurrent % lanes ? 1 : 0)));
        return (lanes, windows);
    }
}
