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
/// cache; cells are mapped just ahead of the band that needs them (in band order: by the first row of
/// their expanded cell), and a result is released once every band its box touches is folded.
/// </summary>
/// <remarks>
/// <para>Workers split the bands into sections of consecutive bands, handed out in order; a worker
/// sweeps its section alone, mapping and folding with no lock and no data shared with the other
/// workers, so its results and the input rows it reads stay in its own core's cache. A section owns the
/// cells whose expanded cell starts in it. The cells that reach past its last band (its seam) are
/// mapped first and published: the next sections fold their first bands from them too, once every
/// earlier section's seam is mapped. One lock per section, none per cell: with a lock and a shared queue
/// per cell, two workers spent their time handing cache lines between the cores.</para>
/// <para>Building in place (the output in the input's planes) keeps the same order: a band is folded
/// only once every cell whose expanded cell touches it is mapped, and no cell mapped later reads it
/// (later cells of the same section start in later bands; other sections' cells start in their own
/// sections, and the earlier sections' seams are mapped before any band they reach is folded).</para>
/// <para>The bands a result touches are known before mapping only through a promise: a result lies
/// inside its expanded cell (true of the built-in mappers). A result that breaks it, a result the
/// reducer would reject, a failing mapper or a mix of results with and without PSFs stops the run
/// and <see cref="Execute"/> returns null: the caller then runs the classic cell-order fold, which
/// gives the same bytes or reports the lowest failing cell exactly as before.</para>
/// <para>Memory: the output planes, one band-chunk of scratch planes per worker, the results of the
/// bands each worker is folding and of the seams of the sections in progress (about a grid row each).</para>
/// </remarks>
internal sealed class BandPipeline : IDisposable
{
    /// <summary>Rows per band: tall enough that a result is cut into few pieces, short enough that a band's planes stay in the cache.</summary>
    public const int DefaultBandRows = 32;

    /// <summary>Sections per worker: enough that a worker slowed by the machine leaves at most a small last section to wait for.</summary>
    private const int SectionsPerWorker = 8;

    /// <summary>Rows a section has at least: its seam (about a grid row of cells mapped early and kept) stays a small part of it.</summary>
    private const int MinSectionRows = 128;

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
    private readonly int[] need;       // the cells whose expanded cell starts in bands 0..k: order[..need[k]]
    private readonly int[] lastReach;  // by position in order: the last band of the cell's expanded cell
    private readonly int[] bandStart;  // the cells whose expanded cell touches band k: bandCells[bandStart[k]..bandStart[k+1]], ascending
    private readonly int[] bandCells;
    private readonly int[] sectionStart; // section i is bands sectionStart[i]..sectionStart[i + 1] - 1
    private readonly Exposure?[] results;
    private readonly Box[] boxes;      // each result's box, for the CoaddPsf
    private readonly Psf?[]? psfs;
    private readonly int[] firstBand;  // the bands of each result's box (set when mapped)
    private readonly int[] lastBand;
    private readonly int[] remaining;  // bands of each result's box still to fold (Interlocked)
    private readonly bool[] seamMapped; // by section; guarded by gate
    private readonly object gate = new();
    private readonly object progressGate = new();
    private int nextSection;           // Interlocked: the next section to hand out
    private int seamsBelow;            // guarded by gate: sections below have mapped their seams
    private int waiting;               // guarded by gate
    private int foldedBands;           // Interlocked
    private volatile bool stopped;     // fall back to the classic fold
    private int released;              // guarded by progressGate (Interlocked when there is no progress to report)

    // map: maps cell c given its index, its cell and its expanded cell.
    public BandPipeline(Exposure exposure, Grid grid, StitchingReducer reducer, Func<int, Box, Box, MapResult> map, int workers,
        IProgress<MapReduceProgress>? progress, CancellationToken ct, int bandRows, int chunkWidth, bool gather = true, bool inPlace = false, int sectionBands = 0)
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

        order = new int[n];
        lastReach = new int[n];
        var first = new int[bands + 1];
        bandStart = new int[bands + 1];
        // The bands of each cell's expanded cell.
        var firstBandOf = new int[n];
        var lastBandOf = new int[n];
        for (int c = 0; c < n; c++)
        {
            int b0 = firstBandOf[c] = stitching.BandOf(expandedCells[c].MinY), b1 = lastBandOf[c] = stitching.BandOf(expandedCells[c].MaxY);
            first[b0]++;
            for (int b = b0; b <= b1; b++) bandStart[b + 1]++;
        }
        need = new int[bands];
        for (int b = 0, sum = 0; b < bands; b++) need[b] = sum += first[b];
        // Cells by first band, then index: a counting sort (stable, so indices stay ascending within a band).
        var next = new int[bands];
        for (int b = 1; b < bands; b++) next[b] = need[b - 1];
        for (int c = 0; c < n; c++) order[next[firstBandOf[c]]++] = c;
        for (int at = 0; at < n; at++) lastReach[at] = lastBandOf[order[at]];
        for (int b = 0; b < bands; b++) bandStart[b + 1] += bandStart[b];
        bandCells = new int[bandStart[bands]];
        var fill = new int[bands];
        Array.Copy(bandStart, fill, bands);
        for (int c = 0; c < n; c++)
        {
            for (int b = firstBandOf[c]; b <= lastBandOf[c]; b++) bandCells[fill[b]++] = c;
        }
        sectionStart = Sections(bands, this.workers, stitching.BandRows, sectionBands);
        seamMapped = new bool[sectionStart.Length - 1];
        firstBand = new int[n];
        lastBand = new int[n];
        remaining = new int[n];
        results = new Exposure?[n];
        boxes = new Box[n];
        psfs = buildsPsf ? new Psf?[n] : null;
    }

    /// <summary>
    /// The sections' first bands and, last, the band count: <paramref name="sectionBands"/> bands each when positive, else one
    /// section for one worker and about <see cref="SectionsPerWorker"/> each for several.
    /// </summary>
    private static int[] Sections(int bands, int workers, int bandRows, int sectionBands)
    {
        int size = sectionBands > 0 ? sectionBands
            : workers == 1 ? bands
            : Math.Max((MinSectionRows + bandRows - 1) / bandRows, (bands + workers * SectionsPerWorker - 1) / (workers * SectionsPerWorker));
        int count = Math.Max(1, (bands + size - 1) / size);
        var start = new int[count + 1];
        for (int i = 0; i <= count; i++) start[i] = (int)((long)bands * i / count);
        return start;
    }

    /// <summary>Runs the cells; null when the run must fall back to the classic fold (see remarks).</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public ReduceResult? Execute(out int cellsReported)
    {
        int n = grid.Count;
        progress?.Report(new MapReduceProgress(MapReducePhase.Mapping, 0, n));
        using (ct.Register(() => { lock (gate) Monitor.PulseAll(gate); }))
        {
            int busy = Math.Min(workers, seamMapped.Length);
            if (busy == 1) Work();
            else Parallel.For(0, busy, new ParallelOptions { MaxDegreeOfParallelism = busy }, _ => Work());
        }
        lock (progressGate) cellsReported = Volatile.Read(ref released);
        ct.ThrowIfCancellationRequested();
        if (stopped || Volatile.Read(ref foldedBands) < need.Length) return null;

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

    /// <summary>One worker: sweeps the next section not handed out until none is left or the run stops.</summary>
    private void Work()
    {
        while (true)
        {
            int section = Interlocked.Increment(ref nextSection) - 1;
            if (section >= seamMapped.Length || !Sweep(section)) return;
        }
    }

    /// <summary>
    /// Maps the seam of section <paramref name="section"/> and publishes it, then folds its bands in order, each
    /// once the cells it needs are mapped; false when the run stops.
    /// </summary>
    private bool Sweep(int section)
    {
        int b0 = sectionStart[section], b1 = sectionStart[section + 1] - 1;
        int from = b0 == 0 ? 0 : need[b0 - 1], to = need[b1];
        for (int at = from; at < to; at++)
        {
            if (lastReach[at] > b1 && !MapAt(at)) return false;
        }
        if (seamMapped.Length > 1)
        {
            lock (gate)
            {
                seamMapped[section] = true;
                while (seamsBelow < seamMapped.Length && seamMapped[seamsBelow]) seamsBelow++;
                if (waiting > 0) Monitor.PulseAll(gate);
            }
        }
        int position = from;
        for (int k = b0; k <= b1; k++)
        {
            for (; position < need[k]; position++)
            {
                if (lastReach[position] <= b1 && !MapAt(position)) return false;
            }
            if (k == b0 && section > 0 && !AwaitSeamsBelow(section)) return false;
            FoldBand(k);
            Interlocked.Increment(ref foldedBands);
        }
        return true;
    }

    /// <summary>
    /// Waits until every section below <paramref name="section"/> has mapped its seam: the only cells of other
    /// sections whose expanded cell reaches this one's bands. False when the run stops first.
    /// </summary>
    private bool AwaitSeamsBelow(int section)
    {
        lock (gate)
        {
            while (seamsBelow < section)
            {
                if (stopped || ct.IsCancellationRequested) return false;
                waiting++;
                Monitor.Wait(gate);
                waiting--;
            }
        }
        return !stopped;
    }

    /// <summary>Maps the cell at position <paramref name="at"/> of the band order and keeps its result; false when the run stops.</summary>
    private bool MapAt(int at)
    {
        if (stopped || ct.IsCancellationRequested) return false;
        int c = order[at];
        if (at + PrefetchDistance < order.Length) Prefetch(order[at + PrefetchDistance]);
        MapResult result;
        try
        {
            result = map(c, cells[c], expandedCells[c]);
        }
        catch (Exception)
        {
            Stop(); // cancellation is rethrown by Execute; any other failure is reported by the classic fold
            return false;
        }
        if (result is not ExposureResult { SubExposure: { } sub } || sub.Box.IsEmpty || !expandedCells[c].Contains(sub.Box)
            || (buildsPsf && !Exposure.SameWcs(sub.Wcs, exposure.Wcs)))
        {
            Release(result);
            Stop();
            return false;
        }
        int first = stitching.BandOf(sub.Box.MinY), last = stitching.BandOf(sub.Box.MaxY);
        // Read by this worker, or by another once the seam is published under the gate.
        results[c] = sub;
        boxes[c] = sub.Box;
        if (psfs is not null) psfs[c] = sub.Psf;
        firstBand[c] = first;
        lastBand[c] = last;
        remaining[c] = last - first + 1;
        return true;
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
        int freed = 0;
        for (int j = from; j < to; j++)
        {
            int c = bandCells[j];
            if (firstBand[c] > k || k > lastBand[c] || Interlocked.Decrement(ref remaining[c]) != 0) continue;
            Exposure sub = results[c]!;
            results[c] = null;
            Release(sub);
            freed++;
        }
        if (freed == 0) return;
        // Counted and reported once a band, not once a cell: a count that every worker updates is a cache line the
        // cores hand each other.
        if (progress is null)
        {
            Interlocked.Add(ref released, freed);
            return;
        }
        lock (progressGate)
        {
            released += freed;
            progress.Report(new MapReduceProgress(MapReducePhase.Mapping, released, grid.Count));
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
