using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Engine.Running;

/// <summary>
/// Runs a mapper over the cells of a grid and reduces the results: the reference's
/// <c>ImageMapReduceTask.run</c>, on all cores, with bounded memory.
/// </summary>
/// <remarks>
/// <para>Cells are mapped in parallel (<see cref="EngineOptions.MaxDegreeOfParallelism"/> workers)
/// and folded into the output in cell order as soon as every earlier cell is folded, through a
/// bounded reorder window: a worker does not start a cell more than <see cref="WindowSize"/> cells
/// ahead of the fold. So the output is byte-identical for any parallelism and any run, and only a
/// window of mapped cells is alive at once. After folding, a result's exposure is disposed
/// (returning pooled buffers; disposing a view does nothing) unless the reducer keeps results
/// (<c>none</c>) or <c>returnSubImages</c> is set.</para>
/// <para><c>copy</c>, <c>sum</c> and <c>average</c> of a whole exposure (without
/// <c>returnSubImages</c>) take a fused path: the output is built in bands of rows, cells are
/// mapped in band order and each band is folded from its results, in cell order, and finished while
/// hot in the cache (see <c>BandPipeline</c>); the bytes are the same. It relies on each result lying
/// inside its expanded cell; a result that does not (or any failure) restarts the run on the
/// cell-order path above, so outputs and errors are unchanged.</para>
/// <para>The input is never cloned, and never written except by <see cref="RunInPlace"/>, whose caller gives its pixels up: mappers get views. The runner is immutable and may
/// run several exposures concurrently.</para>
/// </remarks>
public sealed class MapReduceRunner
{
    private readonly IMapper mapper;
    private readonly IReducer reducer;
    private readonly EngineOptions options;

    // The mapper when it reads only its cell (and no auxiliary input): cells are then mapped from the exposure and their
    // box, with no views and no context per cell, wherever the run does not hand the cells' views back.
    private readonly ICellLocalMapper? cellLocal;

    /// <summary>A runner for <paramref name="mapper"/> and the reducer chosen by <paramref name="reducerConfig"/>.</summary>
    public MapReduceRunner(IMapper mapper, ReducerConfig reducerConfig, EngineOptions? options = null)
        : this(mapper, Reducers.Create(reducerConfig ?? throw new ArgumentNullException(nameof(reducerConfig))), options) { }

    /// <summary>A runner for <paramref name="mapper"/> and an explicit <paramref name="reducer"/>.</summary>
    public MapReduceRunner(IMapper mapper, IReducer reducer, EngineOptions? options = null)
    {
        this.mapper = mapper ?? throw new ArgumentNullException(nameof(mapper));
        this.reducer = reducer ?? throw new ArgumentNullException(nameof(reducer));
        this.options = options ?? EngineOptions.Default;
        cellLocal = mapper is ICellLocalMapper local && mapper.AuxiliaryInputs.Count == 0 ? local : null;
    }

    /// <summary>Rows per band of the fused run of <c>copy</c>/<c>sum</c>/<c>average</c> (tests set small bands to exercise the splitting).</summary>
    internal int BandRows { get; init; } = BandPipeline.DefaultBandRows;

    /// <summary>Tiles (bands of a strip) per section a worker sweeps alone in the fused run; 0 for the default (tests cut small sections to exercise their seams).</summary>
    internal int SectionBands { get; init; }

    /// <summary>Columns per strip of the fused run's sweep; 0 for the default (see <c>BandPipeline.DefaultStripWidth</c>; tests cut narrow strips).</summary>
    internal int StripWidth { get; init; }

    /// <summary>Columns folded at once within a band of the fused run.</summary>
    internal int ChunkWidth { get; init; } = BandStitching.DefaultChunkWidth;

    /// <summary>Fold chunks with the register gather where the machine and the results allow (tests switch it off to check the scratch fold).</summary>
    internal bool Gather { get; init; } = true;

    /// <summary>
    /// Cells that may be mapped ahead of the fold (the reorder window) for a run: 4 per worker + 4,
    /// or as many as fit in 1 MiB when more (small cells), but no more than fit in an eighth of the
    /// exposure's pixel bytes (at least 16 MiB) — each cell counted at the size of the largest one
    /// with image, mask and variance — and between 2 and 4096. A window of about a megabyte keeps the
    /// results that wait for the fold in the cache and the array pool (a wide one made them cold and
    /// outgrew the pool), while a mapper that waits for the fold is woken once per half window, so
    /// small cells do not cost a thread hand-over every few cells.
    /// </summary>
    public int WindowSize(Exposure exposure, Grid grid)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        ArgumentNullException.ThrowIfNull(grid);
        long largest = 1;
        foreach (Box b in grid.Cells) largest = Math.Max(largest, b.Area);
        const int bytesPerPixel = sizeof(float) + sizeof(int) + sizeof(float);
        long cellBytes = largest * bytesPerPixel;
        long budget = Math.Max(16L << 20, exposure.Box.Area * bytesPerPixel / 8);
        long wanted = Math.Max(4L * options.Workers + 4, (1L << 20) / cellBytes);
        return (int)Math.Clamp(Math.Min(wanted, budget / cellBytes), 2, 4096);
    }

    /// <summary>Maps every cell and reduces the results.</summary>
    /// <param name="exposure">The input; read only.</param>
    /// <param name="grid">Cells and expanded cells (parent coordinates, inside the exposure).</param>
    /// <param name="returnSubImages">Also return each cell's input views and result (keeps every result alive).</param>
    /// <param name="progress">Receives (phase, cells done, cell count) as cells are folded — after each cell, or, in the fused run of
    /// <c>copy</c>/<c>sum</c>/<c>average</c>, after each band of rows for the cells it finished (a count every worker updated per
    /// cell was a cache line the cores handed each other) — from one thread at a time; cells done never decreases.</param>
    /// <param name="cancellationToken">Stops the run; <see cref="OperationCanceledException"/> is thrown.</param>
    /// <param name="auxiliary">The mapper's auxiliary inputs, on the exposure's box (none by default).</param>
    /// <exception cref="ReduceException">Mismatched box lists, a box outside the exposure, or a result the reducer rejects
    /// (the lowest failing cell is reported, whatever the parallelism).</exception>
    /// <exception cref="AuxiliaryInputException">An auxiliary input is missing, undeclared, of another box, or lacks a PSF the mapper needs.</exception>
    public MapReduceResult Run(Exposure exposure, Grid grid, bool returnSubImages = false,
        IProgress<MapReduceProgress>? progress = null, CancellationToken cancellationToken = default, AuxiliaryData? auxiliary = null)
        => RunCore(exposure, grid, returnSubImages, progress, cancellationToken, auxiliary, reread: null);

    /// <summary>
    /// <see cref="Run"/> for a caller that has no further use for the input's pixels: a whole-exposure
    /// <c>copy</c>/<c>sum</c>/<c>average</c> is built in the input's own planes, band by band as each band's
    /// last reader is done with it, so the output needs no new memory (in a fresh process, pages the kernel
    /// would first clear: 12 bytes a pixel, a third of the run's peak). The bytes are those of <see cref="Run"/>.
    /// </summary>
    /// <param name="exposure">The input, consumed: after the call its planes hold the output (they are the
    /// result's planes when the run was built in place) and it must not be read as the input again.</param>
    /// <param name="grid">Cells and expanded cells (parent coordinates, inside the exposure).</param>
    /// <param name="returnSubImages">As in <see cref="Run"/>: every result is kept, so the input is left as it is.</param>
    /// <param name="reread">The input once more, as it was (read again from its file): called only when the fused
    /// run stops part-way (a failing mapper, a result outside its expanded cell, a mix of results with and without
    /// PSFs), so that the classic fold reports the same error or builds the same bytes as <see cref="Run"/> from an
    /// intact input. The runner disposes what it returns.</param>
    /// <param name="progress">As in <see cref="Run"/>.</param>
    /// <param name="cancellationToken">Stops the run; the input's pixels are then undefined.</param>
    /// <param name="auxiliary">As in <see cref="Run"/>.</param>
    /// <remarks>Other reductions (and <c>returnSubImages</c>) never write the input: they run exactly as <see cref="Run"/>.</remarks>
    /// <exception cref="ReduceException">As <see cref="Run"/>; also when <paramref name="reread"/> gives an exposure of another box.</exception>
    public MapReduceResult RunInPlace(Exposure exposure, Grid grid, bool returnSubImages, Func<Exposure> reread,
        IProgress<MapReduceProgress>? progress = null, CancellationToken cancellationToken = default, AuxiliaryData? auxiliary = null)
    {
        ArgumentNullException.ThrowIfNull(reread);
        return RunCore(exposure, grid, returnSubImages, progress, cancellationToken, auxiliary, returnSubImages ? null : reread);
    }

    private MapReduceResult RunCore(Exposure exposure, Grid grid, bool returnSubImages, IProgress<MapReduceProgress>? progress,
        CancellationToken cancellationToken, AuxiliaryData? auxiliary, Func<Exposure>? reread)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        CheckGrid(exposure, grid);
        auxiliary ??= AuxiliaryData.None;
        auxiliary.Check(mapper, exposure.Box);
        cancellationToken.ThrowIfCancellationRequested();
        if (!returnSubImages && reducer is StitchingReducer stitching)
        {
            int reported;
            bool inPlace = reread is not null;
            using (var bands = new BandPipeline(exposure, grid, stitching,
                (i, cell, expanded) => MapResultOf(exposure, cell, expanded, i, exposure.Box, auxiliary, cancellationToken),
                options.Workers, progress, cancellationToken, BandRows, ChunkWidth, Gather, inPlace, SectionBands, StripWidth))
            {
                if (bands.Execute(out reported) is { } reduced) return new MapReduceResult(reduced, grid);
            }
            // A result outside its expanded cell, a rejected result or a failing mapper: the classic
            // fold gives the same bytes or the same error as ever; progress does not go back.
            if (progress is not null) progress = new ForwardProgress(progress, reported);
            if (inPlace)
            {
                // Bands already folded hold output pixels: the classic fold needs the input as it was.
                using Exposure again = reread!() ?? throw new InvalidOperationException("The input given again is null.");
                if (again.Box != exposure.Box)
                    throw ReduceErrors.ReadAgainMismatch(exposure.Box, again.Box);
                using var restarted = new CellPipeline(this, again, grid, returnSubImages, progress, cancellationToken, auxiliary);
                return restarted.Execute();
            }
        }
        using var run = new CellPipeline(this, exposure, grid, returnSubImages, progress, cancellationToken, auxiliary);
        return run.Execute();
    }

    /// <summary>Forwards the reports of a restarted run that go beyond what was already reported.</summary>
    private sealed class ForwardProgress(IProgress<MapReduceProgress> inner, int reported) : IProgress<MapReduceProgress>
    {
        public void Report(MapReduceProgress value)
        {
            if (value.Phase != MapReducePhase.Mapping || value.CellsDone > reported) inner.Report(value);
        }
    }

    /// <summary>
    /// Runs one part of a distributed run: maps the cells of <paramref name="part"/> (whole-grid
    /// indices and full box passed to the mapper, exactly as in <see cref="Run"/>) against
    /// <paramref name="piece"/>, a piece of the exposure holding their expanded cells, and reduces
    /// them in index order. A stitching reducer builds only <see cref="GridPart.Region"/>, which is
    /// then bit-identical to the same pixels of <see cref="Run"/> when the part lists every cell whose
    /// result touches the region; <c>none</c> and <c>coaddPsf</c> return the part's results or PSF.
    /// </summary>
    /// <param name="piece">The pixels the part needs (parent coordinates); read only.</param>
    /// <param name="grid">The whole grid.</param>
    /// <param name="part">Which cells, the full box and the output region.</param>
    /// <param name="progress">As in <see cref="Run"/>, counting the part's cells.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="auxiliary">The mapper's auxiliary inputs, each the same piece (box) as <paramref name="piece"/>.</param>
    /// <exception cref="ArgumentException">Indices not strictly increasing or out of range, or a region outside the piece.</exception>
    /// <exception cref="ReduceException">A cell box outside the piece, or a result the reducer rejects.</exception>
    /// <exception cref="AuxiliaryInputException">An auxiliary input is missing, undeclared, of another box, or lacks a PSF the mapper needs.</exception>
    public MapReduceResult RunPart(Exposure piece, Grid grid, GridPart part,
        IProgress<MapReduceProgress>? progress = null, CancellationToken cancellationToken = default, AuxiliaryData? auxiliary = null)
    {
        ArgumentNullException.ThrowIfNull(piece);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(part);
        int[] ids = [.. part.CellIndices];
        for (int k = 0; k < ids.Length; k++)
            if ((uint)ids[k] >= (uint)grid.Count || (k > 0 && ids[k] <= ids[k - 1]))
                throw new ArgumentException($"Cell index {ids[k]} at position {k} is out of range (grid of {grid.Count}) or not increasing.", nameof(part));
        if (!piece.Box.Contains(part.Region) || part.Region.IsEmpty)
            throw new ArgumentException($"The part's region {part.Region} is not inside the piece's {piece.Box}.", nameof(part));
        var sub = new Grid([.. ids.Select(i => grid.Cells[i])], [.. ids.Select(i => grid.ExpandedCells[i])], grid.Fwhm, grid.Sizes);
        CheckGrid(piece, sub);
        cancellationToken.ThrowIfCancellationRequested();
        auxiliary ??= AuxiliaryData.None;
        auxiliary.Check(mapper, piece.Box);
        using var run = new CellPipeline(this, piece, sub, false, progress, cancellationToken, auxiliary, ids, part.FullBox, part.Region);
        return run.Execute();
    }

    /// <summary>
    /// Maps every cell (in parallel, always through <see cref="IMapper.Map"/> on the cells' views) and returns the results
    /// in cell order without reducing them. Every result is kept alive at once; the caller disposes them. For measuring the
    /// map phase alone.
    /// </summary>
    public IReadOnlyList<MapResult> MapAll(Exposure exposure, Grid grid, CancellationToken cancellationToken = default, AuxiliaryData? auxiliary = null)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        CheckGrid(exposure, grid);
        auxiliary ??= AuxiliaryData.None;
        auxiliary.Check(mapper, exposure.Box);
        var results = new MapResult[grid.Count];
        Box full = exposure.Box;
        try
        {
            Parallel.For(0, grid.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Workers, CancellationToken = cancellationToken },
                i => results[i] = MapCell(exposure, grid, i, i, full, auxiliary, cancellationToken).Result);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return results;
    }

    private static void CheckGrid(Exposure exposure, Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Cells.Count != grid.ExpandedCells.Count)
            throw ReduceErrors.MismatchedBoxLists(grid.Cells.Count, grid.ExpandedCells.Count);
        for (int i = 0; i < grid.Count; i++)
        {
            if (grid.Cells[i].IsEmpty || !exposure.Box.Contains(grid.Cells[i]))
                throw ReduceErrors.CellOutsideExposure(i, grid.Cells[i], exposure.Box);
            if (grid.ExpandedCells[i].IsEmpty || !exposure.Box.Contains(grid.ExpandedCells[i]))
                throw ReduceErrors.CellOutsideExposure(i, grid.ExpandedCells[i], exposure.Box);
        }
    }

    private (MapResult Result, Exposure Cell, Exposure Expanded) MapCell(Exposure exposure, Grid grid, int i, int cellIndex, Box full,
        AuxiliaryData auxiliary, CancellationToken ct)
        => MapCell(exposure, grid.Cells[i], grid.ExpandedCells[i], cellIndex, full, auxiliary, ct);

    private (MapResult Result, Exposure Cell, Exposure Expanded) MapCell(Exposure exposure, Box cellBox, Box expandedBox, int cellIndex, Box full,
        AuxiliaryData auxiliary, CancellationToken ct)
    {
        Exposure cell = exposure.Sub(cellBox);
        Exposure expanded = exposure.Sub(expandedBox);
        var context = new MapContext(cellIndex, full, options, ct) { Auxiliary = auxiliary.Cut(expandedBox) };
        MapResult result = mapper.Map(cell, expanded, context) ?? throw NullResult(cellIndex);
        return (result, cell, expanded);
    }

    /// <summary>One cell's result when its views are not handed back: through <see cref="ICellLocalMapper.MapBox"/> when the mapper offers it.</summary>
    private MapResult MapResultOf(Exposure exposure, Box cellBox, Box expandedBox, int cellIndex, Box full, AuxiliaryData auxiliary, CancellationToken ct)
        => cellLocal is not null
            ? cellLocal.MapBox(exposure, cellBox) ?? throw NullResult(cellIndex)
            : MapCell(exposure, cellBox, expandedBox, cellIndex, full, auxiliary, ct).Result;

    private InvalidOperationException NullResult(int cellIndex)
        => new($"Cell {cellIndex}: the mapper {mapper.GetType().Name} returned null; return a ValueResult(null) for no value.");

    /// <summary>The state of one streamed run: work distribution, the reorder window and the fold.</summary>
    private sealed class CellPipeline : IDisposable
    {
        private readonly MapReduceRunner owner;
        private readonly Exposure exposure;
        private readonly Grid grid;
        private readonly IProgress<MapReduceProgress>? progress;
        private readonly CancellationToken ct;
        private readonly IReduction reduction;
        private readonly bool disposeFolded;
        private readonly CellOutput?[]? cells;
        private readonly MapResult?[] window;
        private readonly int windowSize;
        private readonly AuxiliaryData auxiliary;
        private readonly int[]? cellIds;  // whole-grid index of each cell of a part, or null for a whole run
        private readonly Box full;
        private readonly object gate = new();
        private int nextCell = -1;   // last cell index handed out (Interlocked)
        private int nextFold;        // guarded by gate
        private bool draining;       // guarded by gate: one thread folds at a time
        private int wakeAt = int.MaxValue; // guarded by gate: lowest nextFold a waiting mapper waits for
        private int failedCell = int.MaxValue; // guarded by gate: lowest cell that failed
        private Exception? failure;  // guarded by gate

        public CellPipeline(MapReduceRunner owner, Exposure exposure, Grid grid, bool returnSubImages,
            IProgress<MapReduceProgress>? progress, CancellationToken ct, AuxiliaryData auxiliary, int[]? cellIds = null, Box? full = null, Box? region = null)
        {
            this.auxiliary = auxiliary;
            this.cellIds = cellIds;
            this.full = full ?? exposure.Box;
            this.owner = owner;
            this.exposure = exposure;
            this.grid = grid;
            this.progress = progress;
            this.ct = ct;
            windowSize = owner.WindowSize(exposure, grid);
            window = new MapResult?[windowSize];
            cells = returnSubImages ? new CellOutput?[grid.Count] : null;
            disposeFolded = !returnSubImages && !owner.reducer.KeepsResults;
            // The expanded cells bound each result's box, so the count plane is sized to the grid's overlap.
            reduction = region is { } r && owner.reducer is IRegionReducer regional
                ? regional.Begin(exposure, r, owner.options, grid.ExpandedCells)
                : owner.reducer.Begin(exposure, owner.options, grid.ExpandedCells);
        }

        public MapReduceResult Execute()
        {
            int n = grid.Count;
            progress?.Report(new MapReduceProgress(MapReducePhase.Mapping, 0, n));
            using (ct.Register(() => { lock (gate) Monitor.PulseAll(gate); }))
            {
                int workers = Math.Max(1, Math.Min(owner.options.Workers, n));
                if (workers == 1) Work();
                else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => Work());
            }
            // Every worker has stopped: fold what is ready below the first failure, so the error
            // reported is the lowest failing cell's whatever finished first.
            Drain();
            ct.ThrowIfCancellationRequested();
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);

            progress?.Report(new MapReduceProgress(MapReducePhase.Finishing, n, n));
            ReduceResult reduced = reduction.Complete();
            progress?.Report(new MapReduceProgress(MapReducePhase.Done, n, n));
            return new MapReduceResult(reduced, grid, cells?.Select(c => c!).ToArray());
        }

        private void Work()
        {
            while (true)
            {
                int i = Interlocked.Increment(ref nextCell);
                if (i >= grid.Count) return;
                lock (gate)
                {
                    if (i >= nextFold + windowSize)
                    {
                        // The window is full: wait until the fold has emptied half of it, so a mapper
                        // faster than the fold is woken once per half window, not once per folded cell.
                        int resume = i - Math.Max(1, windowSize / 2);
                        while (nextFold < resume && failure is null && !ct.IsCancellationRequested)
                        {
                            wakeAt = Math.Min(wakeAt, resume);
                            Monitor.Wait(gate);
                        }
                    }
                    if (failure is not null || ct.IsCancellationRequested) return;
                }
                try
                {
                    MapResult result;
                    if (cells is not null)
                    {
                        (result, Exposure cell, Exposure expanded) = owner.MapCell(exposure, grid, i, cellIds?[i] ?? i, full, auxiliary, ct);
                        cells[i] = new CellOutput(i, cell, expanded, result);
                    }
                    else result = owner.MapResultOf(exposure, grid.Cells[i], grid.ExpandedCells[i], cellIds?[i] ?? i, full, auxiliary, ct);
                    lock (gate)
                    {
                        window[i % windowSize] = result;
                        if (draining) continue;
                        draining = true;
                    }
                }
                catch (Exception e)
                {
                    Fail(i, e);
                    return;
                }
                Drain();
            }
        }

        /// <summary>Folds ready cells in order. Called by the thread that set <see cref="draining"/>, or after all workers stopped.</summary>
        private void Drain()
        {
            while (true)
            {
                MapResult? result;
                int index;
                lock (gate)
                {
                    index = nextFold;
                    result = index < grid.Count && index < failedCell ? window[index % windowSize] : null;
                    if (result is null || ct.IsCancellationRequested)
                    {
                        draining = false;
                        return;
                    }
                    window[index % windowSize] = null;
                }
                try
                {
                    reduction.Add(index, result);
                }
                catch (Exception e)
                {
                    Release(result);
                    Fail(index, e);
                    lock (gate) draining = false;
                    return;
                }
                Release(result);
                lock (gate)
                {
                    nextFold = index + 1;
                    if (nextFold >= wakeAt)
                    {
                        wakeAt = int.MaxValue;
                        Monitor.PulseAll(gate);
                    }
                }
                progress?.Report(new MapReduceProgress(MapReducePhase.Mapping, index + 1, grid.Count));
            }
        }

        private void Release(MapResult result)
        {
            if (disposeFolded && result is ExposureResult { SubExposure: { } sub } && !ReferenceEquals(sub.MaskedImage, exposure.MaskedImage))
                sub.Dispose();
        }

        private void Fail(int index, Exception e)
        {
            lock (gate)
            {
                if (index < failedCell)
                {
                    failedCell = index;
                    failure = e;
                }
                Monitor.PulseAll(gate);
            }
        }

        public void Dispose()
        {
            // Results still in the window were never folded (failure or cancellation).
            for (int k = 0; k < window.Length; k++)
            {
                if (window[k] is { } r) Release(r);
                window[k] = null;
            }
            reduction.Dispose();
        }
    }
}
