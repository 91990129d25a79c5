using System.Buffers;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Engine.Running;

/// <summary>
/// The fused run of a whole-exposure <c>copy</c>/<c>sum</c>/<c>average</c>: the output is built in
/// horizontal bands of rows, each folded from the results touching it (in cell order, so every
/// pixel gets its contributions in the reference's order) and finished at once while hot in the
/// cache; cells are mapped ahead in band order (by the first row of their expanded cell). Workers
/// fold a band as soon as it is ready (several bands at once with several workers: bands share no
/// output pixel) and map otherwise; a result is released once every band its box touches is folded.
/// </summary>
/// <remarks>
/// <para>The bands a result touches are known before mapping only through a promise: a result lies
/// inside its expanded cell (true of the built-in mappers). A result that breaks it, a result the
/// reducer would reject, a failing mapper or a mix of results with and without PSFs stops the run
/// and <see cref="Execute"/> returns null: the caller then runs the classic cell-order fold, which
/// gives the same bytes or reports the lowest failing cell exactly as before.</para>
/// <para>Memory: the output planes, one band-chunk of scratch planes per worker and the results of
/// about two grid rows (those of the bands being folded and of a few bands ahead).</para>
/// </remarks>
internal sealed class BandPipeline : IDisposable
{
    /// <summary>Rows per band: tall enough that a result is cut into few pieces, short enough that a band's planes stay in the cache.</summary>
    public const int DefaultBandRows = 32;

    /// <summary>Rows of bands that workers may map ahead of the band being folded.</summary>
    private const int AheadRows = 64;

    private readonly Exposure exposure;
    private readonly Grid grid;
    private readonly Func<int, Box, Box, MapResult> map;
    // The grid's boxes, copied once into pooled arrays: read per cell several times, where each read through the
    // grid's list was an interface call (measured: 3 % of a warm 4096² run of 10,609 cells).
    private readonly Box[] cells, expandedCells;
    private readonly int workers;
    private readonly IProgress<MapReduceProgress>? progress;
    private readonly CancellationToken ct;
    private readonly BandStitching stitching;
    private readonly bool buildsPsf;
    private readonly int[] order;      // cell indices by the first band of their expanded cell, then index
    private readonly int[] need;       // band k is ready once the cells order[..need[k]] are mapped
    private readonly int[] bandStart;  // the cells whose expanded cell touches band k: bandCells[bandStart[k]..bandStart[k+1]], ascending
    private readonly int[] bandCells;
    private readonly Exposure?[] results;
    private readonly Box[] boxes;      // each result's box, for the CoaddPsf
    private readonly bool[] mappedAt;  // by position in order; guarded by gate
    private readonly Psf?[]? psfs;
    private readonly int[] firstBand;  // the bands of each result's box (set when mapped)
    private readonly int[] lastBand;
    private readonly int[] remaining;  // bands of each result's box still to fold (Interlocked)
    private readonly bool[] bandDone;  // guarded by gate
    private readonly int aheadBands;
    private readonly object gate = new();
    private readonly object progressGate = new();
    private int nextPosition;          // guarded by gate: next position to hand out
    private int readyPrefix;           // guarded by gate: positions below are mapped
    private int nextClaim;             // guarded by gate: bands below are handed out
    private int lowestUnfinished;      // guarded by gate: bands below are folded
    private int waiting;               // guarded by gate
    private bool stopped;              // guarded by gate: fall back to the classic fold
    private int released;              // guarded by progressGate (Interlocked when there is no progress to report)

    // map: maps cell c given its index, its cell and its expanded cell.
    public BandPipeline(Exposure exposure, Grid grid, StitchingReducer reducer, Func<int, Box, Box, MapResult> map, int workers,
        IProgress<MapReduceProgress>? progress, CancellationToken ct, int bandRows, int chunkWidth, bool gather = true, bool inPlace = false)
    {
        this.exposure = exposure;
        this.grid = grid;
        this.map = map;
        this.progress = progress;
        this.ct = ct;
        int n = grid.Count;
        cells = Copy(grid.Cells);
        expandedCells = Copy(grid.ExpandedCells);
        this.workers = Math.Max(1, Math.Min(workers, n));
        stitching = reducer.BeginBands(exposure, grid.ExpandedCells, bandRows, chunkWidth, gather, inPlace);
        buildsPsf = reducer.BuildsCoaddPsf;
        int bands = stitching.BandCount;
        aheadBands = Math.Max(1, AheadRows / stitching.BandRows);

        order = new int[n];
        var first = new int[bands + 1];
        bandStart = new int[bands + 1];
        var firstBandOf = new int[n];
        for (int c = 0; c < n; c++)
        {
            Box e = expandedCells[c];
            int b0 = stitching.BandOf(e.MinY), b1 = stitching.BandOf(e.MaxY);
            firstBandOf[c] = b0;
            first[b0]++;
            for (int b = b0; b <= b1; b++) bandStart[b + 1]++;
        }
        need = new int[bands];
        for (int b = 0, sum = 0; b < bands; b++) need[b] = sum += first[b];
        // Cells by first band, then index: a counting sort (stable, so indices stay ascending within a band).
        var next = new int[bands];
        for (int b = 1; b < bands; b++) next[b] = need[b - 1];
        for (int c = 0; c < n; c++) order[next[firstBandOf[c]]++] = c;
        for (int b = 0; b < bands; b++) bandStart[b + 1] += bandStart[b];
        bandCells = new int[bandStart[bands]];
        var fill = new int[bands];
        Array.Copy(bandStart, fill, bands);
        for (int c = 0; c < n; c++)
        {
            Box e = expandedCells[c];
            for (int b = stitching.BandOf(e.MinY), b1 = stitching.BandOf(e.MaxY); b <= b1; b++) bandCells[fill[b]++] = c;
        }
        firstBand = new int[n];
        lastBand = new int[n];
        remaining = new int[n];
        bandDone = new bool[bands];
        results = new Exposure?[n];
        boxes = new Box[n];
        mappedAt = new bool[n];
        psfs = buildsPsf ? new Psf?[n] : null;
    }

    /// <summary>Runs the cells; null when the run must fall back to the classic fold (see remarks).</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public ReduceResult? Execute(out int cellsReported)
    {
        int n = grid.Count;
        progress?.Report(new MapReduceProgress(MapReducePhase.Mapping, 0, n));
        using (ct.Register(() => { lock (gate) Monitor.PulseAll(gate); }))
        {
            if (workers == 1) Work();
            else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => Work());
        }
        lock (progressGate) cellsReported = Volatile.Read(ref released);
        ct.ThrowIfCancellationRequested();
        if (stopped || lowestUnfinished < need.Length) return null;

        var components = new List<CoaddPsfComponent>();
        if (psfs is not null)
        {
            bool? withPsf = null;
            for (int c = 0; c < n; c++)
            {
                bool has = psfs[c] is not null;
                if (withPsf is { } before && before != has) return null; // the classic fold reports the first cell that differs
                withPsf = has;
                if (has) components.Add(new CoaddPsfComponent(psfs[c]!, boxes[c], 1.0));
            }
        }
        progress?.Report(new MapReduceProgress(MapReducePhase.Finishing, n, n));
        ReduceResult reduced = stitching.Complete(components);
        progress?.Report(new MapReduceProgress(MapReducePhase.Done, n, n));
        return reduced;
    }

    private int Limit(int band)
    {
        int k = Math.Min(band, need.Length - 1);
        int ready = k < 0 ? 0 : need[k];
        int ahead = need[Math.Min(k + aheadBands, need.Length - 1)];
        return Math.Max(ahead, Math.Min(grid.Count, ready + 4 * workers + 4));
    }

    /// <summary>
    /// One worker: folds the next band as soon as it is ready (any worker, several bands at once),
    /// otherwise maps the next cell in band order unless that is too far ahead of the lowest band
    /// not yet folded, otherwise waits.
    /// </summary>
    private void Work()
    {
        int position = -1; // handed to this worker, not mapped yet
        while (true)
        {
            int band = -1;
            lock (gate)
            {
                while (true)
                {
                    if (stopped || ct.IsCancellationRequested) return;
                    if (nextClaim < need.Length && readyPrefix >= need[nextClaim])
                    {
                        band = nextClaim++;
                        break;
                    }
                    if (position < 0 && nextPosition < grid.Count) position = nextPosition++;
                    if (position >= 0 && position < Limit(lowestUnfinished)) break;
                    if (position < 0 && nextClaim >= need.Length) return; // nothing left to map or to fold
                    waiting++;
                    Monitor.Wait(gate);
                    waiting--;
                }
            }
            if (band >= 0)
            {
                FoldBand(band);
                lock (gate)
                {
                    bandDone[band] = true;
                    while (lowestUnfinished < bandDone.Length && bandDone[lowestUnfinished]) lowestUnfinished++;
                    if (waiting > 0) Monitor.PulseAll(gate);
                }
                continue;
            }
            int at = position, c = order[at];
            position = -1;
            if (at + PrefetchDistance < order.Length) Prefetch(order[at + PrefetchDistance]);
            MapResult result;
            try
            {
                result = map(c, cells[c], expandedCells[c]);
            }
            catch (Exception)
            {
                Stop(); // cancellation is rethrown by Execute; any other failure is reported by the classic fold
                return;
            }
            if (result is not ExposureResult { SubExposure: { } sub } || sub.Box.IsEmpty || !expandedCells[c].Contains(sub.Box)
                || (buildsPsf && !Exposure.SameWcs(sub.Wcs, exposure.Wcs)))
            {
                Release(result);
                Stop();
                return;
            }
            int first = stitching.BandOf(sub.Box.MinY), last = stitching.BandOf(sub.Box.MaxY);
            lock (gate)
            {
                results[c] = sub;
                boxes[c] = sub.Box;
                if (psfs is not null) psfs[c] = sub.Psf;
                firstBand[c] = first;
                lastBand[c] = last;
                remaining[c] = last - first + 1;
                mappedAt[at] = true;
                while (readyPrefix < mappedAt.Length && mappedAt[readyPrefix]) readyPrefix++;
                if (waiting > 0 && nextClaim < need.Length && readyPrefix >= need[nextClaim]) Monitor.PulseAll(gate);
            }
        }
    }

    /// <summary>
    /// Folds band <paramref name="k"/> from the results whose box touches it, in cell order, and
    /// releases each result whose last band this was. Runs on any worker, concurrently with other bands.
    /// </summary>
    private void FoldBand(int k)
    {
        // Every cell whose expanded cell touches the band is mapped (the band was ready) and none
        // whose box touches it is released (its count of bands to fold includes this one).
        int from = bandStart[k], to = bandStart[k + 1];
        Exposure[] batch = ArrayPool<Exposure>.Shared.Rent(Math.Max(1, to - from));
        int count = 0;
        for (int j = from; j < to; j++)
        {
            int c = bandCells[j];
            if (firstBand[c] <= k && k <= lastBand[c]) batch[count++] = results[c]!;
        }
        try
        {
            stitching.FoldBand(k, batch.AsSpan(0, count));
        }
        finally
        {
            batch.AsSpan(0, count).Clear();
            ArrayPool<Exposure>.Shared.Return(batch);
        }
        for (int j = from; j < to; j++)
        {
            int c = bandCells[j];
            if (firstBand[c] > k || k > lastBand[c] || Interlocked.Decrement(ref remaining[c]) != 0) continue;
            Exposure sub = results[c]!;
            results[c] = null;
            Release(sub);
            if (progress is null)
            {
                Interlocked.Increment(ref released);
                continue;
            }
            lock (progressGate)
            {
                released++;
                progress.Report(new MapReduceProgress(MapReducePhase.Mapping, released, grid.Count));
            }
        }
    }

    /// <summary>Cells mapped ahead of the one whose image rows are prefetched.</summary>
    private const int PrefetchDistance = 1;

    /// <summary>
    /// Prefetches the image rows of cell <paramref name="c"/>, the next this worker will likely map,
    /// while it maps the current one (measured: the map phase of <c>add</c> went from 24 to 12 ms at
    /// 4096²). Only the image plane: the fold reads mask and variance row by row, which the hardware
    /// prefetchers follow.
    /// </summary>
    private void Prefetch(int c) => CellPrefetch.Rows(exposure.Image, cells[c]);

    private static Box[] Copy(IReadOnlyList<Box> boxes)
    {
        Box[] copy = ArrayPool<Box>.Shared.Rent(boxes.Count);
        for (int i = 0; i < boxes.Count; i++) copy[i] = boxes[i];
        return copy;
    }

    private void Stop()
    {
        lock (gate)
        {
            stopped = true;
            Monitor.PulseAll(gate);
        }
    }

    private void Release(MapResult result)
    {
        if (result is ExposureResult { SubExposure: { } sub }) Release(sub);
    }

    private void Release(Exposure sub)
    {
        if (!ReferenceEquals(sub.MaskedImage, exposure.MaskedImage)) sub.Dispose();
    }

    public void Dispose()
    {
        for (int c = 0; c < results.Length; c++)
        {
            if (results[c] is { } r) Release(r);
            results[c] = null;
        }
        stitching.Dispose();
        ArrayPool<Box>.Shared.Return(cells);
        ArrayPool<Box>.Shared.Return(expandedCells);
    }
}
